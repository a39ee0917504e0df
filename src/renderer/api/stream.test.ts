import { describe, expect, it } from 'vitest';
import type { HealthResponse } from '../../shared/api';
import { LiveStore } from '../state/live-store';
import { parseMessage, StreamClient, type SocketLike } from './stream';

class FakeSocket implements SocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closedWith: number | null = null;
  constructor(readonly url: string) {}
  close(code?: number) {
    this.closedWith = code ?? 1000;
  }
}

const health = { status: 'ok', site: 's', version: '0', uptimeS: 1, simulated: true, devices: [], sync: { enabled: false, connected: false, backlog: 0, lastError: null }, controller: { mode: 'off' } } as HealthResponse;
const snapshotText = JSON.stringify({ type: 'snapshot', live: { tsMs: 1, series: { 'inverter.batteryVoltageV': { value: 52.1, tsMs: 1 } }, links: {} }, health });

function harness() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  const sockets: FakeSocket[] = [];
  const store = new LiveStore(() => now, (fn) => fn());
  const client = new StreamClient({
    url: 'ws://x/api/v1/stream?token=t',
    store,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    now: () => now,
    random: () => 0.5,
    setTimer: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    silenceMs: 30_000,
  });
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const t = timers[0];
      if (!t || t.at > end) break;
      timers.shift();
      now = t.at;
      t.fn();
    }
    now = end;
  };
  return { client, store, sockets, advance, last: () => sockets[sockets.length - 1]! };
}

describe('the stream client', () => {
  it('connects, shows connecting until the snapshot, then open', () => {
    const h = harness();
    h.client.start();
    expect(h.store.connection.state).toBe('connecting');
    h.last().onopen?.({});
    h.last().onmessage?.({ data: snapshotText });
    expect(h.store.connection.state).toBe('open');
    expect(h.store.value('inverter.batteryVoltageV')).toBe(52.1);
  });

  it('after the daemon goes away it keeps the values, says reconnecting and retries with growing delays', () => {
    const h = harness();
    h.client.start();
    h.last().onmessage?.({ data: snapshotText });
    h.last().onclose?.({ code: 1006 });
    expect(h.store.connection).toMatchObject({ state: 'reconnecting', attempt: 1 });
    expect(h.store.value('inverter.batteryVoltageV')).toBe(52.1);
    expect(h.store.isStale('inverter.batteryVoltageV')).toBe(true);
    h.advance(499);
    expect(h.sockets).toHaveLength(1);
    h.advance(1);
    expect(h.sockets).toHaveLength(2);
    h.last().onclose?.({ code: 1006 });
    h.advance(999);
    expect(h.sockets).toHaveLength(2);
    h.advance(1);
    expect(h.sockets).toHaveLength(3);
    // Back: the snapshot resets the backoff.
    h.last().onmessage?.({ data: snapshotText });
    expect(h.store.connection).toMatchObject({ state: 'open', attempt: 0 });
    h.last().onclose?.({ code: 1006 });
    h.advance(500);
    expect(h.sockets).toHaveLength(4);
  });

  it('a refused token stops retrying', () => {
    const h = harness();
    h.client.start();
    h.last().onclose?.({ code: 4401 });
    expect(h.store.connection.state).toBe('unauthorized');
    h.advance(60_000);
    expect(h.sockets).toHaveLength(1);
  });

  it('a silent connection is dropped and replaced', () => {
    const h = harness();
    h.client.start();
    h.last().onopen?.({});
    h.last().onmessage?.({ data: snapshotText });
    h.advance(30_000);
    expect(h.sockets[0]!.closedWith).toBe(4000);
    expect(h.store.connection.state).toBe('reconnecting');
    h.advance(500);
    expect(h.sockets).toHaveLength(2);
  });

  it('stop closes the socket and schedules nothing', () => {
    const h = harness();
    h.client.start();
    h.client.stop();
    expect(h.sockets[0]!.closedWith).toBe(1000);
    h.advance(60_000);
    expect(h.sockets).toHaveLength(1);
  });
});

describe('stream messages', () => {
  it('ignores garbage and unknown types instead of breaking the page', () => {
    expect(parseMessage('not json')).toBeNull();
    expect(parseMessage(JSON.stringify({ type: 'futureThing' }))).toBeNull();
    expect(parseMessage(JSON.stringify({ type: 'sample' }))).toBeNull();
    expect(parseMessage(new ArrayBuffer(4))).toBeNull();
    expect(parseMessage(snapshotText)?.type).toBe('snapshot');
  });
});
