/**
 * Where a chart line's data comes from: this page's instance (history, then live samples from its
 * stream) or another instance from the Connections page (history, then its /live polled).
 */
import { useMemo } from 'react';
import type { FieldValue } from '../../shared/samples';
import { seriesName } from '../../shared/samples';
import type { ApiClient } from '../api/client';
import { useInstance } from './instance';
import type { LiveStore } from './live-store';

export type SeriesListener = (series: string, tsMs: number, value: FieldValue) => void;

export interface SeriesSource {
  /** Stable identity for effect dependencies. */
  key: string;
  name: string;
  client: ApiClient;
  subscribe(listener: SeriesListener): () => void;
}

export function streamSource(key: string, name: string, client: ApiClient, store: LiveStore): SeriesSource {
  return {
    key,
    name,
    client,
    subscribe(listener) {
      return store.onSample((sample) => {
        for (const [field, value] of Object.entries(sample.values)) listener(seriesName(sample.device, field), sample.tsMs, value);
      });
    },
  };
}

/** Another instance without a stream of ours: its /live every few seconds is enough for a combined chart. */
export function pollingSource(key: string, name: string, client: ApiClient, intervalMs = 5000): SeriesSource {
  return {
    key,
    name,
    client,
    subscribe(listener) {
      let controller: AbortController | null = null;
      const poll = async () => {
        controller?.abort();
        controller = new AbortController();
        const r = await client.live(controller.signal);
        if (!r.ok) return;
        for (const [name, entry] of Object.entries(r.value.series)) listener(name, entry.tsMs, entry.value);
      };
      const id = setInterval(poll, intervalMs);
      return () => {
        clearInterval(id);
        controller?.abort();
      };
    },
  };
}

export function usePrimarySource(): SeriesSource {
  const { client, store } = useInstance();
  return useMemo(() => streamSource('local', 'This instance', client, store), [client, store]);
}
