import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/headless/commands/backtest.js';
import { backtestSamples } from '../src/main/control/backtest.js';
import { csvSamples } from '../src/main/control/csv-samples.js';
import { openStore } from '../src/main/store/index.js';
import type { Sample } from '../src/shared/samples.js';

const T0 = 1_767_261_600_000; // 2026-01-01 10:00 UTC
const HEAD = 'tsMs,inverter.batteryVoltageV,inverter.gridVoltageV,inverter.outputSourcePriority,bms.socPct,relay.gridConnected';

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

function csvFile(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'voltmon-bt-')), 'samples.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const rows = (n: number, stepMs: number, row: (k: number) => string): string[] => Array.from({ length: n }, (_, k) => `${T0 + k * stepMs},${row(k)}`);

function parsed(): { actions: Array<Record<string, unknown>>; summary: Record<string, unknown> | undefined } {
  const objects = out.join('').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    actions: objects.filter((o) => 'action' in o),
    summary: objects.find((o) => 'summary' in o)?.summary as Record<string, unknown> | undefined,
  };
}

describe('voltmon backtest --samples (the contract)', () => {
  it('a calm hour gives no action, and a summary line', async () => {
    const file = csvFile([HEAD, ...rows(360, 10_000, () => '52.6,0,sbu,55,false')]);
    expect(await main(['--samples', file, '--time-zone', 'Europe/Berlin'])).toBe(0);
    const { actions, summary } = parsed();
    expect(actions).toEqual([]);
    expect(summary).toMatchObject({ actions: 0, settingWrites: 0, settingWritesPerDay: 0 });
  });

  it('a full battery in SBU gives actions, each with tsMs, rule and reason, and not again every sample', async () => {
    const file = csvFile([
      `${HEAD},inverter.maxChargingCurrentA,inverter.batteryBulkVoltageV,inverter.batteryFloatVoltageV`,
      ...rows(120, 10_000, () => '54.9,0,sbu,99,false,40,56.0,55.5'),
    ]);
    expect(await main(['--samples', file, '--time-zone', 'Europe/Berlin'])).toBe(0);
    const { actions, summary } = parsed();
    expect(actions.length).toBeGreaterThanOrEqual(1);
    for (const a of actions) {
      expect(a).toMatchObject({ tsMs: expect.any(Number), rule: expect.any(String), reason: expect.any(String) });
    }
    // The recording keeps saying bulk 56.0 and float 55.5; the simulated inverter took the new values.
    expect(actions.map((a) => a.action)).toEqual([
      { action: 'setFloatVoltage', value: 53.7 },
      { action: 'setBulkVoltage', value: 53.8 },
      { action: 'setMaxChargingCurrent', value: 10 },
    ]);
    expect(actions[0]?.tsMs).toBe(T0 + 120_000);
    expect(summary).toMatchObject({ settingWrites: 3, settingWritesPerDay: 3, byRule: { batteryFullProtect: 3 } });
  });

  it('reads enumerations as codes as well as names', async () => {
    const file = csvFile(['tsMs,inverter.batteryVoltageV,inverter.outputSourcePriority,relay.gridConnected', ...rows(40, 10_000, () => '50.4,2,1')]);
    expect(await main(['--samples', file, '--time-zone', 'UTC'])).toBe(0);
    expect(parsed().actions.map((a) => a.action)).toEqual([{ action: 'setOutputSourcePriority', value: 'utilityFirst' }]);
  });

  it('does not fire a rule whose series the file lacks', async () => {
    // A low battery, but neither the output priority nor the relay state is known.
    const file = csvFile(['tsMs,inverter.batteryVoltageV', ...rows(120, 10_000, () => '50.0')]);
    expect(await main(['--samples', file, '--time-zone', 'UTC'])).toBe(0);
    expect(parsed().actions).toEqual([]);
  });

  it('treats an empty cell as no new value', async () => {
    // The voltage is given once a minute only; it stays known in between.
    const file = csvFile([HEAD, ...rows(60, 10_000, (k) => `${k % 6 === 0 ? '51.0' : ''},0,sbu,,false`)]);
    expect(await main(['--samples', file, '--time-zone', 'UTC'])).toBe(0);
    const { actions } = parsed();
    expect(actions.map((a) => [a.rule, a.action])).toEqual([['batteryLowConnectGrid', { action: 'setGridRelay', value: 'connected' }]]);
    expect(actions[0]?.tsMs).toBe(T0 + 240_000);
  });

  it('uses thresholds from --config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voltmon-bt-'));
    writeFileSync(join(dir, 'thresholds.yaml'), 'batteryFullV: 55.0\nnearlyFullV: 54.8\n');
    const file = csvFile([`${HEAD},inverter.maxChargingCurrentA`, ...rows(30, 10_000, () => '54.9,0,sbu,99,false,40')]);
    expect(await main(['--samples', file, '--config', join(dir, 'thresholds.yaml'), '--time-zone', 'UTC'])).toBe(0);
    const { actions, summary } = parsed();
    expect(actions.map((a) => a.rule)).toEqual(['nearlyFullReduceCurrent']);
    expect(summary?.thresholds).toMatchObject({ batteryFullV: 55, nearlyFullV: 54.8 });
  });

  it.each([
    [['tsMs,inverter.batteryVoltageV', `${T0},abc`], /line 2, inverter.batteryVoltageV: 'abc' is not a number/],
    [['time,inverter.batteryVoltageV', `${T0},52`], /header must start with tsMs/],
    [['tsMs,batteryVoltageV', `${T0},52`], /'batteryVoltageV' is not a series name/],
    [['tsMs,inverter.outputSourcePriority', `${T0},sideways`], /'sideways' is not one of utilityFirst, solarFirst, sbu/],
    [['tsMs,inverter.batteryVoltageV', `${T0 + 10},52`, `${T0},52`], /line 3: tsMs .* is earlier than the row before/],
    [['tsMs,inverter.batteryVoltageV', '2026-01-01,52'], /line 2, tsMs: '2026-01-01' is not a UTC time in milliseconds/],
  ])('refuses a bad file with the line that is wrong (%#)', async (lines, message) => {
    expect(await main(['--samples', csvFile(lines), '--time-zone', 'UTC'])).toBe(1);
    expect(err.join('')).toMatch(message);
  });

  it.each([[[]], [['--samples', 'a.csv', '--simulate-days', '2']], [['--from', '2026-01-01']], [['--samples', 'a.csv', '--bogus']], [['--simulate-days', '0']]])(
    'answers a bad command line %j with usage and exit 2',
    async (argv) => {
      expect(await main(argv)).toBe(2);
      expect(err.join('')).toMatch(/usage: voltmon backtest/);
    },
  );

  it('refuses thresholds that contradict each other', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voltmon-bt-'));
    writeFileSync(join(dir, 't.json'), '{"thresholds": {"gridRelayOnV": 52.5}}');
    expect(await main(['--samples', csvFile([HEAD]), '--config', join(dir, 't.json')])).toBe(1);
    expect(err.join('')).toMatch(/gridRelayOffV must be above gridRelayOnV/);
  });
});

describe('backtest over two days of recorded samples', () => {
  it('counts setting writes per local day', async () => {
    // Two days from 10:00 UTC; the battery is full from 15:00 to 16:00 each day.
    const lines = ['tsMs,inverter.batteryVoltageV,inverter.batteryBulkVoltageV,inverter.batteryFloatVoltageV,inverter.maxChargingCurrentA,inverter.outputSourcePriority'];
    for (let k = 0; k < 2 * 8640; k += 1) {
      const hoursIn = ((k * 10) / 3600) % 24;
      lines.push(`${T0 + k * 10_000},${hoursIn >= 5 && hoursIn < 6 ? '54.9' : '52.0'},56.0,55.5,40,sbu`);
    }
    const summary = await backtestSamples(csvSamples(lines), { timeZone: 'UTC' });
    // Each day: protection (float, bulk, current) at 15:02, and the restore (bulk, float, current) at 03:00.
    expect(summary.byRule).toEqual({ batteryFullProtect: 6, nightlyRestoreOptimal: 6 });
    expect(summary.settingWrites).toBe(12);
    expect(summary.settingWritesPerDay).toBeCloseTo(12 / 2, 2);
    expect(summary.maxSettingWritesInADay).toBe(6);
  });
});

describe('voltmon backtest --from --to over the store', () => {
  it('reads the rules’ series back from SQLite and acts on them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voltmon-bt-store-'));
    const store = openStore({ path: join(dir, 'voltmon.db'), timeZone: 'UTC' });
    // Recent enough for the raw rows to be within retention.
    const start = Math.floor((Date.now() - 3_600_000) / 10_000) * 10_000;
    for (let k = 0; k < 60; k += 1) {
      const tsMs = start + k * 10_000;
      const samples: Sample[] = [
        { device: 'inverter', tsMs, source: 'QPIGS', values: { batteryVoltageV: 54.9 } },
        { device: 'inverter', tsMs, source: 'QPIRI', values: { batteryBulkVoltageV: 56.0, batteryFloatVoltageV: 55.5, maxChargingCurrentA: 40, outputSourcePriority: 'sbu' } },
      ];
      for (const s of samples) store.append(s);
    }
    store.flush();
    store.close();
    const code = await main(['--from', new Date(start).toISOString(), '--to', String(start + 600_000), '--data-dir', dir, '--time-zone', 'UTC']);
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    const { actions } = parsed();
    expect(actions.map((a) => a.action)).toEqual([
      { action: 'setFloatVoltage', value: 53.7 },
      { action: 'setBulkVoltage', value: 53.8 },
      { action: 'setMaxChargingCurrent', value: 10 },
    ]);
  });

  it('says so when the data directory has no store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voltmon-bt-empty-'));
    expect(await main(['--from', String(T0), '--to', String(T0 + 1000), '--data-dir', dir])).toBe(1);
    expect(err.join('')).toMatch(/no store there/);
  });
});

describe('voltmon backtest --simulate-days', () => {
  it('runs the plant simulator with the controller on and reports battery figures', async () => {
    expect(await main(['--simulate-days', '1', '--seed', '7', '--time-zone', 'Europe/Berlin'])).toBe(0);
    const { summary } = parsed();
    expect(summary).toMatchObject({ days: 1, battery: { bmsProtectionTrips: 0 } });
    expect((summary?.battery as { maxCellVoltageV: number }).maxCellVoltageV).toBeLessThan(3.65);
  });
});
