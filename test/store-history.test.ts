import { afterEach, describe, expect, it } from 'vitest';
import { StoreInputError, openStore, type LocalStore } from '../src/main/store/index.js';
import type { HistoryPoint } from '../src/shared/api.js';

const T0 = Date.UTC(2026, 6, 1);
const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const YEAR = 365 * DAY;
const stores: LocalStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function memoryStore(now = T0 + DAY): LocalStore {
  const store = openStore({ path: ':memory:', timeZone: 'Europe/Berlin', now: () => now });
  stores.push(store);
  return store;
}

/** A day of 1 Hz meter readings at 300 W, with one 1-second spike up and one down. */
function dayWithSpikes(store: LocalStore): { upAt: number; downAt: number } {
  const upAt = T0 + 7 * HOUR + 1234 * SECOND;
  const downAt = T0 + 15 * HOUR + 77 * SECOND;
  for (let t = T0; t < T0 + DAY; t += SECOND) {
    const activePowerW = t === upAt ? 5000 : t === downAt ? -4200 : 300;
    store.append({ device: 'meter', tsMs: t, source: 'read', values: { activePowerW } });
  }
  store.flush();
  return { upAt, downAt };
}

const bucketOf = (points: HistoryPoint[], tsMs: number, bucketMs: number): HistoryPoint | undefined => points.find((p) => p.tsMs <= tsMs && tsMs < p.tsMs + bucketMs);

describe('history', () => {
  it('never returns more than `points` buckets, and a one-sample spike survives in max and min', () => {
    const store = memoryStore();
    const { upAt, downAt } = dayWithSpikes(store);
    for (const points of [7, 24, 100, 500, 1000, 5000]) {
      const answer = store.history({ series: ['meter.activePowerW'], from: T0, to: T0 + DAY, points });
      const series = answer.series['meter.activePowerW'] as HistoryPoint[];
      expect(series.length).toBeLessThanOrEqual(points);
      expect(series.reduce((n, p) => n + p.count, 0)).toBe(86_400);
      expect(bucketOf(series, upAt, answer.bucketMs)?.max).toBe(5000);
      expect(bucketOf(series, downAt, answer.bucketMs)?.min).toBe(-4200);
      expect(Math.max(...series.map((p) => p.max))).toBe(5000);
      const quiet = series.filter((p) => p !== bucketOf(series, upAt, answer.bucketMs) && p !== bucketOf(series, downAt, answer.bucketMs));
      expect(quiet.every((p) => p.min === 300 && p.max === 300 && p.avg === 300)).toBe(true);
    }
  });

  it('averages per bucket as the samples do, from raw rows and from rollups alike', () => {
    const store = memoryStore();
    for (let t = T0; t < T0 + 2 * HOUR; t += SECOND) {
      store.append({ device: 'inverter', tsMs: t, source: 'QPIGS', values: { batteryVoltageV: 50 + ((t - T0) / SECOND) % 10 } });
    }
    store.flush();
    // 2 h of samples cycling 50..59 V: every hour holds 3600 of them, mean 54.5
    for (const points of [2, 1800]) {
      const answer = store.history({ series: ['inverter.batteryVoltageV'], from: T0, to: T0 + 2 * HOUR, points });
      const series = answer.series['inverter.batteryVoltageV'] as HistoryPoint[];
      if (points === 2) {
        expect(answer.level).toBe('1h');
        expect(series).toEqual([0, 1].map((i) => ({ tsMs: T0 + i * HOUR, min: 50, avg: 54.5, max: 59, count: 3600 })));
      } else {
        expect(answer.level).toBe('raw');
        expect(answer.bucketMs).toBe(4000);
        expect(series).toHaveLength(1800);
        const volts = (k: number): number => 50 + (k % 10);
        expect(series.every((p, i) => p.count === 4 && p.avg === (volts(4 * i) + volts(4 * i + 1) + volts(4 * i + 2) + volts(4 * i + 3)) / 4)).toBe(true);
      }
    }
  });

  it('reads raw rows for short ranges and the coarsest level that still gives half the points for longer ones', () => {
    const now = T0 + 10 * YEAR;
    const store = memoryStore(now);
    const level = (rangeMs: number): string => store.history({ series: ['bms.socPct'], from: now - rangeMs, to: now, points: 1000 }).level;
    expect(level(HOUR)).toBe('raw');
    expect(level(DAY)).toBe('1m');
    expect(level(7 * DAY)).toBe('1m');
    expect(level(30 * DAY)).toBe('1h');
    expect(level(YEAR)).toBe('1h');
    expect(level(10 * YEAR)).toBe('1d');
    const day = store.history({ series: ['bms.socPct'], from: now - DAY, to: now, points: 1000 });
    expect(day.bucketMs % 60_000).toBe(0);
    expect(Math.ceil(DAY / day.bucketMs)).toBeLessThanOrEqual(1000);
  });

  it('goes to a coarser level when the finer one no longer holds the start of the range', () => {
    const now = T0 + 5 * YEAR;
    const store = memoryStore(now);
    const at = (agoMs: number, rangeMs: number): string => store.history({ series: ['bms.socPct'], from: now - agoMs, to: now - agoMs + rangeMs, points: 1000 }).level;
    expect(at(10 * DAY, HOUR)).toBe('raw');
    expect(at(60 * DAY, HOUR)).toBe('1m'); // raw kept 30 days
    expect(at(3 * YEAR, DAY)).toBe('1h'); // 1-minute rollups kept 730 days
  });

  it('gives the value in effect and every change for enum series, and step values for settings', () => {
    const store = memoryStore();
    const states = ['idle', 'charging', 'charging', 'discharging', 'idle'];
    states.forEach((state, i) => store.append({ device: 'bms', tsMs: T0 + i * HOUR, source: '0x93', values: { state } }));
    store.append({ device: 'inverter', tsMs: T0, source: 'QPIRI', values: { batteryFloatVoltageV: 54, outputSourcePriority: 'sbu' } });
    store.append({ device: 'inverter', tsMs: T0 + 3 * HOUR, source: 'QPIRI', values: { batteryFloatVoltageV: 53.7, outputSourcePriority: 'sbu' } });
    store.flush();
    const answer = store.history({ series: ['bms.state', 'inverter.outputSourcePriority', 'inverter.batteryFloatVoltageV'], from: T0 + 90 * 60_000, to: T0 + 5 * HOUR, points: 100 });
    expect(answer.changes?.['bms.state']).toEqual([
      { tsMs: T0 + 90 * 60_000, value: 'charging' },
      { tsMs: T0 + 3 * HOUR, value: 'discharging' },
      { tsMs: T0 + 4 * HOUR, value: 'idle' },
    ]);
    expect(answer.changes?.['inverter.outputSourcePriority']).toEqual([{ tsMs: T0 + 90 * 60_000, value: 'sbu' }]);
    expect(answer.series['bms.state']).toBeUndefined();
    const floatV = answer.series['inverter.batteryFloatVoltageV'] as HistoryPoint[];
    expect(floatV.map((p) => p.max)).toEqual([54, 53.7]);
    expect(floatV[1]?.tsMs).toBeLessThanOrEqual(T0 + 3 * HOUR);
  });

  it('refuses unknown series and impossible ranges with a typed error', () => {
    const store = memoryStore();
    const ask = (query: Partial<Parameters<LocalStore['history']>[0]>) => () => store.history({ series: ['bms.socPct'], from: T0, to: T0 + HOUR, points: 100, ...query });
    expect(ask({ series: ['bms.flux'] })).toThrow(expect.objectContaining({ code: 'unknownSeries', message: expect.stringContaining('bms.flux') }));
    expect(ask({ series: ['toaster.powerW'] })).toThrow(StoreInputError);
    expect(ask({ series: [] })).toThrow(expect.objectContaining({ code: 'badQuery' }));
    expect(ask({ from: T0 + HOUR })).toThrow(expect.objectContaining({ code: 'badQuery' }));
    expect(ask({ points: 0 })).toThrow(expect.objectContaining({ code: 'badQuery' }));
    expect(ask({ points: 1.5 })).toThrow(expect.objectContaining({ code: 'badQuery' }));
  });
});
