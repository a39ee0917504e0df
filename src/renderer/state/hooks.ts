/** React views of the live store: one series, many series at once, the connection. */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { FieldValue } from '../../shared/samples';
import type { ApiResult } from '../api/client';
import { useInstance } from './instance';
import type { ConnectionInfo, LiveEntry } from './live-store';

export function useSeries(series: string): { entry: LiveEntry | undefined; stale: boolean } {
  const { store } = useInstance();
  const entry = useSyncExternalStore(store.subscribe, () => store.get(series));
  const stale = useSyncExternalStore(store.subscribe, () => store.isStale(series));
  return { entry, stale };
}

/** For views that read many series (the flow picture, the cells): re-renders on any change. */
export function useLiveLookup(): { value: (series: string) => FieldValue | undefined; isStale: (series: string) => boolean } {
  const { store } = useInstance();
  useSyncExternalStore(store.subscribe, () => store.version);
  return { value: (s) => store.value(s), isStale: (s) => store.isStale(s) };
}

export function useConnection(): ConnectionInfo {
  const { store } = useInstance();
  return useSyncExternalStore(store.subscribe, () => store.connection);
}

/** Re-renders every `ms` (ages, countdowns). */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export type Loadable<T> = { state: 'loading'; value: T | null } | { state: 'ready'; value: T } | { state: 'error'; value: T | null; message: string };

/**
 * Loads with the instance's client, aborts when the inputs change or the view goes away, reports a
 * refused token, and reloads when the stream comes back after an outage (the data may have moved on).
 */
export function useApi<T>(load: (signal: AbortSignal) => Promise<ApiResult<T>>, deps: readonly unknown[], refreshMs?: number): Loadable<T> & { reload(): void } {
  const { store, reportUnauthorized } = useInstance();
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading', value: null });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const lastValue = useRef<T | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setResult({ state: 'loading', value: lastValue.current });
    load(controller.signal).then((r) => {
      if (controller.signal.aborted) return;
      if (r.ok) {
        lastValue.current = r.value;
        setResult({ state: 'ready', value: r.value });
        return;
      }
      if (r.error.kind === 'aborted') return;
      if (r.error.kind === 'unauthorized') reportUnauthorized();
      setResult({ state: 'error', value: lastValue.current, message: r.error.message });
    });
    return () => controller.abort();
    // The caller's deps decide when `load` means something new; `load` itself is a fresh closure each render.
  }, [...deps, tick]);

  useEffect(() => {
    if (!refreshMs) return;
    const id = setInterval(reload, refreshMs);
    return () => clearInterval(id);
  }, [refreshMs, reload]);

  const stateRef = useRef(result.state);
  stateRef.current = result.state;
  useEffect(() => {
    let wasOpen = store.connection.state === 'open';
    let seenOpen = wasOpen;
    return store.subscribe(() => {
      const open = store.connection.state === 'open';
      // Back after an outage, or up at last after a first load that could not reach the API.
      if (open && !wasOpen && (seenOpen || stateRef.current === 'error')) reload();
      if (open) seenOpen = true;
      wasOpen = open;
    });
  }, [store, reload]);

  return { ...result, reload };
}
