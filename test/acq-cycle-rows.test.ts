/**
 * One poll cycle is one row: the BMS's nine Daly replies and the meter's two register blocks of one
 * cycle carry the cycle's start time, so the local store (which merges samples by ts_ms per device
 * table) writes one row per cycle instead of one partial row per reply.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../src/shared/samples.js';
import { BmsDriver } from '../src/main/devices/bms/index.js';
import { Sdm230Driver } from '../src/main/devices/meter/index.js';
import type { DeviceDriver } from '../src/main/devices/types.js';
import { BmsSimulator, createPlant, MeterSimulator, type DeviceSimulator } from '../src/main/sim/index.js';
import { openStore } from '../src/main/store/index.js';
import { createMemoryLink } from '../src/main/transport/memory.js';
import type { Transport } from '../src/main/transport/types.js';

const CYCLE_START_MS = Date.UTC(2026, 5, 21, 10, 0, 0);
/** Time the wire takes per request, as the drivers' clock sees it: every reply of a cycle arrives at a later instant. */
const STEP_MS = 120;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A simulator on a memory link whose clock moves on with every request, and a driver on it; resolves
 * with the samples of the first poll cycle (the poll interval is long enough that no second one starts).
 */
async function firstCycle(
  sim: DeviceSimulator,
  makeDriver: (transport: Transport, clock: () => number) => DeviceDriver,
  expectedSamples: number,
): Promise<Sample[]> {
  const { transport, peer } = createMemoryLink({ description: 'cycle-test' });
  let nowMs = CYCLE_START_MS;
  peer.onData(() => (nowMs += STEP_MS));
  sim.attach(peer);
  const driver = makeDriver(transport, () => nowMs);
  cleanups.push(() => sim.close(), () => driver.stop());
  const samples: Sample[] = [];
  driver.onSample((s) => samples.push(s));
  await driver.start();
  const deadline = Date.now() + 5000;
  while (samples.length < expectedSamples && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(samples).toHaveLength(expectedSamples);
  return samples;
}

/** Append the samples to a fresh store file and read back the rows of `table`. */
function storedRows(samples: Sample[], table: string): Array<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'voltmon-cycle-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'store.sqlite');
  const store = openStore({ path, timeZone: 'Europe/Berlin', now: () => CYCLE_START_MS });
  for (const sample of samples) store.append(sample);
  store.flush();
  store.close();
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM ${table}`).all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
}

const plant = createPlant({ seed: 5, startTsMs: CYCLE_START_MS });

describe('one poll cycle, one stored row', () => {
  it('the nine BMS replies of a cycle share its start time and merge into one row of the bms table', async () => {
    const sim = new BmsSimulator(plant, { pacing: false, latencyMs: 1 });
    const samples = await firstCycle(sim, (transport, clock) => new BmsDriver({ transport, clock, pollMs: 60_000, replyTimeoutMs: 500 }), 9);
    expect(new Set(samples.map((s) => s.source))).toEqual(new Set(['0x90', '0x91', '0x92', '0x93', '0x94', '0x95', '0x96', '0x97', '0x98']));
    expect(samples.map((s) => s.tsMs)).toEqual(samples.map(() => CYCLE_START_MS));

    const rows = storedRows(samples, 'bms');
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, unknown>;
    expect(row.ts_ms).toBe(CYCLE_START_MS);
    // Fields of the first (0x90), a middle (0x93, 0x95) and the last reply (0x98) all sit in that row.
    for (const column of ['soc_pct', 'charge_mos_on', 'cell_voltages_v_0', 'cell_voltages_v_15', 'temperatures_c_0', 'cell_count', 'fault_code']) {
      expect(row[column], column).not.toBeNull();
    }
  });

  it('the two SDM230 register blocks of a poll make one sample at the cycle start and one row of the meter table', async () => {
    const sim = new MeterSimulator(plant, { pacing: false, latencyMs: 1 });
    const samples = await firstCycle(sim, (transport, clock) => new Sdm230Driver({ transport, clock, pollMs: 60_000, replyTimeoutMs: 500 }), 1);
    const sample = samples[0] as Sample;
    expect(sample.tsMs).toBe(CYCLE_START_MS);
    // One value from each block: voltage (0x0000) and import energy (0x0048).
    expect(typeof sample.values.voltageV).toBe('number');
    expect(typeof sample.values.importActiveEnergyKwh).toBe('number');

    const rows = storedRows(samples, 'meter');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.ts_ms).toBe(CYCLE_START_MS);
  });
});
