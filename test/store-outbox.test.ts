import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type LocalStore, type StoreOptions } from '../src/main/store/index.js';
import type { Sample } from '../src/shared/samples.js';

const T0 = Date.UTC(2026, 6, 1);
let dir: string;
const stores: LocalStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'voltmon-outbox-'));
});
afterEach(() => {
  stores.splice(0).forEach((s) => s.close());
  rmSync(dir, { recursive: true, force: true });
});

function open(options: Partial<StoreOptions> = {}): LocalStore {
  const store = openStore({ path: join(dir, 'o.db'), timeZone: 'UTC', outbox: true, now: () => T0, ...options });
  stores.push(store);
  return store;
}

const sample = (i: number): Sample => ({
  device: i % 2 ? 'bms' : 'inverter',
  tsMs: T0 + i * 1000,
  source: i % 2 ? '0x90' : 'QPIGS2',
  values: i % 2 ? { socPct: 50 + i, 'cellVoltagesV[0]': 3.3 } : { pv2InputVoltageV: 300 + i, outOfCatalogue: 'kept' },
});

describe('outbox', () => {
  it('holds every sample, whole and in order, from the moment its batch commits until it is acknowledged', () => {
    const store = open();
    for (let i = 0; i < 5; i++) store.append(sample(i));
    expect(store.outbox.backlog()).toBe(0);
    store.flush();
    expect(store.outbox.backlog()).toBe(5);
    const first = store.outbox.pending(3);
    expect(first.map(({ device, source, tsMs, values }) => ({ device, source, tsMs, values }))).toEqual([0, 1, 2].map(sample));
    store.outbox.acknowledge(first.slice(0, 2).map((r) => r.id));
    expect(store.outbox.backlog()).toBe(3);
    const rest = store.outbox.pending(10);
    expect(rest.map((r) => r.tsMs)).toEqual([T0 + 2000, T0 + 3000, T0 + 4000]);
    expect(rest[0]?.id).toBe(first[2]?.id);
  });

  it('keeps unacknowledged rows across a restart, and ignores unknown or repeated ids', () => {
    const store = open();
    for (let i = 0; i < 4; i++) store.append(sample(i));
    store.flush();
    const [a] = store.outbox.pending(1);
    store.outbox.acknowledge([a!.id, a!.id, 999_999]);
    store.close();
    stores.splice(0);
    const again = open();
    expect(again.outbox.backlog()).toBe(3);
    expect(again.outbox.pending(10).map((r) => r.tsMs)).toEqual([T0 + 1000, T0 + 2000, T0 + 3000]);
  });

  it('stays empty when the outbox is off', () => {
    const store = open({ outbox: false });
    for (let i = 0; i < 4; i++) store.append(sample(i));
    store.flush();
    expect(store.outbox.backlog()).toBe(0);
    expect(store.outbox.pending(10)).toEqual([]);
  });
});
