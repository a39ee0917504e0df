import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type LocalStore } from '../src/main/store/index.js';
import type { DeviceKind } from '../src/shared/samples.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const stores: LocalStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function store(timeZone = 'UTC', path = ':memory:'): LocalStore {
  const s = openStore({ path, timeZone, now: () => Date.UTC(2026, 0, 1) });
  stores.push(s);
  return s;
}

const device = (field: string): DeviceKind => (field === 'activePowerW' ? 'meter' : 'inverter');

/** Append `field` readings every `stepMs` from `from` to `to` inclusive. */
function feed(s: LocalStore, field: string, from: number, to: number, stepMs: number, powerW: (tsMs: number) => number): void {
  for (let t = from; t <= to; t += stepMs) s.append({ device: device(field), tsMs: t, source: 'poll', values: { [field]: powerW(t) } });
}

describe('energy integration', () => {
  it('constant 1000 W for one hour is 1000 Wh', () => {
    const s = store();
    const t0 = Date.UTC(2026, 4, 4, 10);
    feed(s, 'pvPowerW', t0, t0 + HOUR, 10_000, () => 1000);
    s.flush();
    const answer = s.energy({ period: 'hour', from: t0, to: t0 + HOUR });
    expect(answer.rows).toHaveLength(1);
    expect(answer.rows[0]?.label).toBe('2026-05-04 10:00 +00:00');
    expect(answer.rows[0]?.kwh.pvProduced).toBe(1);
  });

  it('a ramp from 0 to 3600 W over one hour is 1800 Wh', () => {
    const s = store();
    const t0 = Date.UTC(2026, 4, 4, 10);
    feed(s, 'acOutputActivePowerW', t0, t0 + HOUR, MINUTE, (t) => (t - t0) / 1000);
    s.flush();
    expect(s.energy({ period: 'day', from: t0, to: t0 + HOUR }).rows[0]?.kwh.loadConsumed).toBe(1.8);
  });

  it('does not bridge a gap longer than the limit, but bridges one of exactly the limit', () => {
    const s = store();
    const t0 = Date.UTC(2026, 4, 4, 0);
    feed(s, 'pvPowerW', t0, t0 + 30 * MINUTE, MINUTE, () => 1000); // 500 Wh
    feed(s, 'pvPowerW', t0 + 35 * MINUTE, t0 + 50 * MINUTE, MINUTE, () => 1000); // 5-minute gap: 250 Wh after it
    feed(s, 'pvPowerW', t0 + 52 * MINUTE, t0 + 60 * MINUTE, MINUTE, () => 1000); // 2-minute gap (= limit): 2 + 8 min = 166.667 Wh
    s.flush();
    expect(s.energy({ period: 'hour', from: t0, to: t0 + HOUR }).rows[0]?.kwh.pvProduced).toBeCloseTo(0.5 + 0.25 + 10 / 60, 6);
  });

  it('splits a trapezoid at the zero crossing into grid import and export', () => {
    const s = store();
    const t0 = Date.UTC(2026, 4, 4, 12);
    // +600 W to -200 W over 40 s crosses zero after 30 s: import 600·30/2 W·s = 2.5 Wh, export 200·10/2 W·s = 0.2778 Wh
    s.append({ device: 'meter', tsMs: t0, source: 'read', values: { activePowerW: 600 } });
    s.append({ device: 'meter', tsMs: t0 + 40_000, source: 'read', values: { activePowerW: -200 } });
    // then -200 W for 60 s: 3.3333 Wh exported
    s.append({ device: 'meter', tsMs: t0 + 100_000, source: 'read', values: { activePowerW: -200 } });
    s.flush();
    const kwh = s.energy({ period: 'day', from: t0, to: t0 + HOUR }).rows[0]?.kwh;
    expect(kwh?.gridImported).toBeCloseTo(0.0025, 6);
    expect(kwh?.gridExported).toBeCloseTo((1000 + 12_000) / 3_600_000, 6);
  });

  it('splits battery power into charged and discharged the same way', () => {
    const s = store();
    const t0 = Date.UTC(2026, 4, 4, 12);
    // -1000 W to +1000 W over 20 s: 10 s each side, 1000·10/2 W·s = 1.3889 Wh each
    s.append({ device: 'inverter', tsMs: t0, source: 'QPIGS', values: { batteryPowerW: -1000 } });
    s.append({ device: 'inverter', tsMs: t0 + 20_000, source: 'QPIGS', values: { batteryPowerW: 1000 } });
    s.flush();
    const kwh = s.energy({ period: 'hour', from: t0, to: t0 + HOUR }).rows[0]?.kwh;
    expect(kwh?.batteryCharged).toBeCloseTo(5000 / 3_600_000, 6);
    expect(kwh?.batteryDischarged).toBeCloseTo(5000 / 3_600_000, 6);
  });

  it('splits a step across an hour boundary between the two hours', () => {
    const s = store();
    const t = Date.UTC(2026, 4, 4, 11);
    s.append({ device: 'inverter', tsMs: t - 30_000, source: 'QPIGS', values: { pvPowerW: 3600 } });
    s.append({ device: 'inverter', tsMs: t + 90_000, source: 'QPIGS', values: { pvPowerW: 3600 } });
    s.flush();
    const rows = s.energy({ period: 'hour', from: t - HOUR, to: t + HOUR }).rows;
    expect(rows.map((r) => r.kwh.pvProduced)).toEqual([0.03, 0.09]); // 3600 W for 30 s and for 90 s
  });

  it('keeps integrating across a restart shorter than the gap limit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voltmon-energy-'));
    try {
      const path = join(dir, 'e.db');
      const t0 = Date.UTC(2026, 4, 4, 10);
      const first = store('UTC', path);
      feed(first, 'pvPowerW', t0, t0 + 30 * MINUTE, MINUTE, () => 2000);
      first.close();
      const second = store('UTC', path);
      feed(second, 'pvPowerW', t0 + 31 * MINUTE, t0 + HOUR, MINUTE, () => 2000);
      second.flush();
      expect(second.energy({ period: 'hour', from: t0, to: t0 + HOUR }).rows[0]?.kwh.pvProduced).toBe(2);
    } finally {
      stores.splice(0).forEach((s) => s.close());
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps every committed watt-hour when the process dies, and integrates the open hours again at start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voltmon-energy-'));
    try {
      const path = join(dir, 'e.db');
      const t0 = Date.UTC(2026, 4, 4, 10);
      const script = join(dir, 'crash.ts');
      writeFileSync(
        script,
        `import { openStore } from ${JSON.stringify(join(process.cwd(), 'src/main/store/index.ts'))};
         const store = openStore({ path: ${JSON.stringify(path)}, timeZone: 'UTC', batchMs: 60000, now: () => ${t0} });
         for (let i = 0; i < 903; i++) {
           store.append({ device: 'inverter', tsMs: ${t0} + i * 10000, source: 'QPIGS', values: { pvPowerW: 1000 } });
           if (i % 5 === 4) store.flush();
         }
         process.exit(0);`,
      );
      const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      // Samples 0..899 were committed: 8990 s at 1000 W.
      const s = store('UTC', path);
      const hours = s.energy({ period: 'hour', from: t0, to: t0 + 3 * HOUR }).rows.map((r) => r.kwh.pvProduced);
      expect(hours).toEqual([1, 1, Math.round((1790 / 3.6) * 1000) / 1_000_000]);
    } finally {
      stores.splice(0).forEach((st) => st.close());
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores a sample older than the last one instead of integrating backwards', () => {
    const s = store();
    const t0 = Date.UTC(2026, 4, 4, 10);
    feed(s, 'pvPowerW', t0, t0 + 10 * MINUTE, MINUTE, () => 600);
    s.append({ device: 'inverter', tsMs: t0 + 5 * MINUTE, source: 'QPIGS', values: { pvPowerW: 99_000 } });
    s.flush();
    expect(s.energy({ period: 'hour', from: t0, to: t0 + HOUR }).rows[0]?.kwh.pvProduced).toBe(0.1);
  });
});

describe('energy by local day and month', () => {
  it('a 23-hour spring-forward day at 100 W is 2300 Wh (Europe/Berlin, 2026-03-29)', () => {
    const s = store('Europe/Berlin');
    const start = Date.UTC(2026, 2, 28, 23); // local midnight, CET
    const end = Date.UTC(2026, 2, 29, 22); // next local midnight, CEST
    feed(s, 'acOutputActivePowerW', start, end, MINUTE, () => 100);
    s.flush();
    const answer = s.energy({ period: 'day', from: start, to: end });
    expect(answer.rows).toHaveLength(1);
    expect(answer.rows[0]).toMatchObject({ startTsMs: start, label: '2026-03-29', kwh: { loadConsumed: 2.3 } });
    expect(s.energy({ period: 'hour', from: start, to: end }).rows).toHaveLength(23);
  });

  it('a 25-hour fall-back day at 100 W is 2500 Wh, with both 02:00 hours listed (Europe/Berlin, 2026-10-25)', () => {
    const s = store('Europe/Berlin');
    const start = Date.UTC(2026, 9, 24, 22); // local midnight, CEST
    const end = Date.UTC(2026, 9, 25, 23); // next local midnight, CET
    feed(s, 'acOutputActivePowerW', start, end, MINUTE, () => 100);
    s.flush();
    expect(s.energy({ period: 'day', from: start, to: end }).rows).toEqual([
      expect.objectContaining({ startTsMs: start, label: '2026-10-25', kwh: expect.objectContaining({ loadConsumed: 2.5 }) }),
    ]);
    const hours = s.energy({ period: 'hour', from: start, to: end }).rows;
    expect(hours).toHaveLength(25);
    expect(hours.filter((h) => h.label.startsWith('2026-10-25 02:00')).map((h) => h.label)).toEqual(['2026-10-25 02:00 +02:00', '2026-10-25 02:00 +01:00']);
    expect(hours.every((h) => h.kwh.loadConsumed === 0.1)).toBe(true);
  });

  it('counts local days in a zone whose offset is not whole hours (Asia/Kolkata, UTC+05:30)', () => {
    const s = store('Asia/Kolkata');
    const start = Date.UTC(2026, 5, 9, 18, 30); // 2026-06-10 00:00 local
    feed(s, 'acOutputActivePowerW', start - HOUR, start + 25 * HOUR, MINUTE, () => 100);
    s.flush();
    const days = s.energy({ period: 'day', from: start, to: start + 24 * HOUR }).rows;
    expect(days.map((d) => [d.label, d.startTsMs, d.kwh.loadConsumed])).toEqual([['2026-06-10', start, 2.4]]);
    expect(s.energy({ period: 'hour', from: start, to: start + HOUR }).rows[0]?.label).toBe('2026-06-10 00:00 +05:30');
  });

  it('splits months at local midnight, not UTC midnight', () => {
    const s = store('Europe/Berlin');
    const from = Date.UTC(2026, 0, 31, 22); // 2026-01-31 23:00 local
    feed(s, 'pvPowerW', from, from + 2 * HOUR, MINUTE, () => 1000); // until 2026-02-01 01:00 local
    s.flush();
    const months = s.energy({ period: 'month', from: Date.UTC(2025, 11, 31, 23), to: Date.UTC(2026, 1, 28, 23) }).rows;
    expect(months.map((m) => [m.label, m.startTsMs, m.kwh.pvProduced])).toEqual([
      ['2026-01', Date.UTC(2025, 11, 31, 23), 1],
      ['2026-02', Date.UTC(2026, 0, 31, 23), 1],
    ]);
  });

  it('computes self-consumption and self-sufficiency, null without production or load', () => {
    const s = store();
    const t0 = Date.UTC(2026, 4, 4, 10);
    // Hour 1: PV 1000 Wh, load 600 Wh, export 200 W for 57 min = 190 Wh -> self-consumption 81 %, self-sufficiency 100 %
    feed(s, 'pvPowerW', t0, t0 + HOUR, MINUTE, () => 1000);
    feed(s, 'acOutputActivePowerW', t0, t0 + 2 * HOUR, MINUTE, () => 600);
    feed(s, 'activePowerW', t0, t0 + 57 * MINUTE, MINUTE, () => -200);
    // Hour 2 (the 3-minute gap is not bridged): no PV, load 600 Wh, import 150 Wh -> self-sufficiency 75 %
    feed(s, 'activePowerW', t0 + HOUR, t0 + 2 * HOUR, MINUTE, () => 150);
    s.flush();
    const rows = s.energy({ period: 'hour', from: t0, to: t0 + 2 * HOUR }).rows;
    expect(rows.map((r) => [r.selfConsumptionPct, r.selfSufficiencyPct])).toEqual([
      [81, 100],
      [null, 75],
    ]);
  });

  it('refuses an unknown period or an empty range', () => {
    const s = store();
    expect(() => s.energy({ period: 'week' as never, from: 0, to: HOUR })).toThrow(expect.objectContaining({ code: 'badQuery' }));
    expect(() => s.energy({ period: 'day', from: HOUR, to: HOUR })).toThrow(expect.objectContaining({ code: 'badQuery' }));
  });
});
