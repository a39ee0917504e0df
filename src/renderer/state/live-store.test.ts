import { describe, expect, it } from 'vitest';
import type { HealthResponse, StreamMessage } from '../../shared/api';
import { LiveStore } from './live-store';

const health: HealthResponse = {
  status: 'ok',
  site: 'test',
  version: '0',
  uptimeS: 1,
  simulated: true,
  devices: [{ device: 'bms', link: 'offline', description: 'bms', stats: { framesOk: 0, crcErrors: 0, timeouts: 0, naks: 0, implausible: 0, reconnects: 0, lastPollLatencyMs: null }, lastSampleTsMs: null }],
  sync: { enabled: false, connected: false, backlog: 0, lastError: null },
  controller: { mode: 'off' },
};

const snapshot: StreamMessage = {
  type: 'snapshot',
  live: { tsMs: 1000, series: { 'inverter.batteryVoltageV': { value: 52.61, tsMs: 900 }, 'bms.socPct': { value: 60, tsMs: 900 } }, links: { inverter: 'online' } },
  health,
};

function manualStore() {
  const pending: Array<() => void> = [];
  const store = new LiveStore(() => 5000, (fn) => pending.push(fn));
  return { store, flush: () => pending.splice(0).forEach((fn) => fn()) };
}

describe('the live store', () => {
  it('shows the snapshot and marks an offline device stale', () => {
    const { store } = manualStore();
    store.apply(snapshot);
    expect(store.value('inverter.batteryVoltageV')).toBe(52.61);
    expect(store.isStale('inverter.batteryVoltageV')).toBe(false);
    expect(store.isStale('bms.socPct')).toBe(true);
    expect(store.connection).toMatchObject({ state: 'open', everConnected: true, lastMessageAtMs: 5000 });
  });

  it('a sample updates values and revives its device', () => {
    const { store } = manualStore();
    store.apply(snapshot);
    store.apply({ type: 'sample', sample: { device: 'bms', tsMs: 2000, source: '0x90', values: { socPct: 61, totalVoltageV: 52.7 } } });
    expect(store.get('bms.socPct')).toEqual({ value: 61, tsMs: 2000 });
    expect(store.isStale('bms.socPct')).toBe(false);
  });

  it('an older value never overwrites a newer one', () => {
    const { store } = manualStore();
    store.apply({ type: 'sample', sample: { device: 'inverter', tsMs: 3000, source: 'QPIGS', values: { batteryVoltageV: 53 } } });
    store.apply(snapshot);
    expect(store.value('inverter.batteryVoltageV')).toBe(53);
  });

  it('everything is stale while the stream is down, and the values stay', () => {
    const { store } = manualStore();
    store.apply(snapshot);
    store.setConnection({ state: 'reconnecting', attempt: 1 });
    expect(store.isStale('inverter.batteryVoltageV')).toBe(true);
    expect(store.value('inverter.batteryVoltageV')).toBe(52.61);
  });

  it('a burst of messages notifies once', () => {
    const { store, flush } = manualStore();
    let calls = 0;
    store.subscribe(() => calls++);
    store.apply(snapshot);
    for (let i = 0; i < 10; i++) store.apply({ type: 'sample', sample: { device: 'inverter', tsMs: 2000 + i, source: 'QPIGS', values: { pvPowerW: i } } });
    flush();
    expect(calls).toBe(1);
  });

  it('passes every sample to chart listeners, in order', () => {
    const { store } = manualStore();
    const seen: number[] = [];
    const off = store.onSample((s) => seen.push(s.tsMs));
    store.apply({ type: 'sample', sample: { device: 'inverter', tsMs: 1, source: 'QPIGS', values: {} } });
    store.apply({ type: 'sample', sample: { device: 'inverter', tsMs: 2, source: 'QPIGS', values: {} } });
    off();
    store.apply({ type: 'sample', sample: { device: 'inverter', tsMs: 3, source: 'QPIGS', values: {} } });
    expect(seen).toEqual([1, 2]);
  });

  it('keeps the newest events first, without duplicates', () => {
    const { store } = manualStore();
    const event = (id: number) => ({ type: 'event' as const, event: { id, tsMs: id, kind: 'warning' as const, message: `e${id}` } });
    store.apply(event(1));
    store.apply(event(2));
    store.apply(event(2));
    expect(store.events.map((e) => e.id)).toEqual([2, 1]);
  });
});
