/** Faults, warnings, link changes, controller decisions and user actions, newest first, filterable by kind. */
import { useState, useSyncExternalStore } from 'react';
import type { EventKind } from '../../shared/events';
import { Card } from '../components/Stat';
import { formatDateTime } from '../lib/format';
import { useApi } from '../state/hooks';
import { useInstance } from '../state/instance';
import type { LiveEvent } from '../state/live-store';

const KINDS: ReadonlyArray<{ kind: EventKind; label: string }> = [
  { kind: 'fault', label: 'Faults' },
  { kind: 'warning', label: 'Warnings' },
  { kind: 'control', label: 'Control actions' },
  { kind: 'controller', label: 'Controller' },
  { kind: 'link', label: 'Links' },
  { kind: 'system', label: 'System' },
];

const WINDOWS = [
  { id: '24h', label: '24 h', ms: 86_400_000 },
  { id: '7d', label: '7 d', ms: 7 * 86_400_000 },
  { id: '30d', label: '30 d', ms: 30 * 86_400_000 },
  { id: '1y', label: '1 y', ms: 365 * 86_400_000 },
] as const;

const LIMIT = 300;

export function Events() {
  const { client, store } = useInstance();
  const [kinds, setKinds] = useState<ReadonlySet<EventKind>>(new Set());
  const [windowId, setWindowId] = useState<(typeof WINDOWS)[number]['id']>('7d');
  const windowMs = WINDOWS.find((w) => w.id === windowId)!.ms;
  const kindList = [...kinds].sort();
  const loaded = useApi((signal) => client.events({ from: Date.now() - windowMs, kinds: kindList, limit: LIMIT }, signal), [kindList.join(','), windowMs]);
  const liveEvents = useSyncExternalStore(store.subscribe, () => store.events);
  const shown = merge(liveEvents.filter((e) => kinds.size === 0 || kinds.has(e.kind)), loaded.value?.events ?? []);

  const toggle = (kind: EventKind) =>
    setKinds((current) => {
      const next = new Set(current);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return next;
    });

  return (
    <>
      <div className="button-row">
        <div className="segmented" role="group" aria-label="Kinds">
          <button type="button" className="button" aria-pressed={kinds.size === 0} onClick={() => setKinds(new Set())}>
            All
          </button>
          {KINDS.map((k) => (
            <button key={k.kind} type="button" className="button" aria-pressed={kinds.has(k.kind)} onClick={() => toggle(k.kind)}>
              {k.label}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label="Window">
          {WINDOWS.map((w) => (
            <button key={w.id} type="button" className="button" aria-pressed={w.id === windowId} onClick={() => setWindowId(w.id)}>
              {w.label}
            </button>
          ))}
        </div>
      </div>
      <Card
        title="Events"
        sub={loaded.state === 'loading' ? 'loading…' : loaded.state === 'error' ? `not updated: ${loaded.message}` : `${shown.length}${shown.length >= LIMIT ? '+' : ''} shown, newest first`}
      >
        {shown.length === 0 && loaded.state !== 'loading' ? (
          <p className="muted">No events of {kinds.size === 0 ? 'any kind' : 'these kinds'} in this window.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Time</th>
                <th>Kind</th>
                <th>Device</th>
                <th>What happened</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{formatDateTime(e.tsMs)}</td>
                  <td>
                    <span className={`badge ${e.kind}`}>{e.kind}</span>
                  </td>
                  <td>{e.device ?? ''}</td>
                  <td>
                    {e.data && Object.keys(e.data).length > 0 ? (
                      <details>
                        <summary>{e.message}</summary>
                        <pre>{JSON.stringify(e.data, null, 2)}</pre>
                      </details>
                    ) : (
                      e.message
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}

/** Live events first, then the loaded ones, each once, newest first. */
function merge(live: readonly LiveEvent[], loaded: readonly LiveEvent[]): LiveEvent[] {
  const byId = new Map<number, LiveEvent>();
  for (const e of [...live, ...loaded]) if (!byId.has(e.id)) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => b.tsMs - a.tsMs || b.id - a.id);
}
