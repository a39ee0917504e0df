import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toSampleValues } from '../../devices/core/sample-values.js';
import type { FieldValue } from '../../../shared/samples.js';
import { legacyRowToSample, type LegacyTableName } from './legacy-map.js';

interface FixtureCase {
  id: string;
  command: string;
  direction: string;
  valid: boolean;
  expected?: Record<string, unknown> & { legacy?: Record<string, number | string> | null; values?: Record<string, unknown> };
}

const fixtures = (name: string): FixtureCase[] =>
  JSON.parse(readFileSync(new URL(`../../../../test/fixtures/${name}`, import.meta.url), 'utf8')) as FixtureCase[];

const withLegacy = (c: FixtureCase): boolean => c.valid && c.direction === 'response' && !!c.expected?.legacy && !c.expected.nak;

/** Every value the import produced equals what the driver produced from the same reply. */
function expectSameValues(imported: Record<string, FieldValue>, live: Record<string, FieldValue>): void {
  for (const [field, value] of Object.entries(imported)) {
    if (typeof value === 'number') expect(value, field).toBeCloseTo(live[field] as number, 6);
    else expect(value, field).toEqual(live[field]);
  }
}

describe('legacy rows back to samples', () => {
  const PI30_TABLES = new Set(['QPIGS', 'QPIRI', 'QMOD', 'QPIWS', 'Q1']);
  const pi30 = fixtures('pi30.json').filter((c) => withLegacy(c) && PI30_TABLES.has(c.command));

  it.each(pi30.map((c) => [c.id, c] as const))('%s: the original row gives the driver sample of the same reply', (_id, c) => {
    const { legacy, ...decoded } = c.expected ?? {};
    const result = legacyRowToSample(c.command as LegacyTableName, 1000, legacy ?? {});
    if (!result.ok) throw new Error(result.error);
    expect(result.value).toMatchObject({ device: 'inverter', source: c.command, tsMs: 1000 });
    const live = toSampleValues(decoded);
    const { pvPowerW, batteryPowerW, ...rest } = result.value.values;
    expectSameValues(rest, live);
    // The legacy columns cover every field the original stored.
    expect(Object.keys(rest).length).toBeGreaterThanOrEqual(Object.keys(legacy ?? {}).length);
    if (c.command === 'QPIGS') {
      const v = (n: number) => Number(legacy?.[`var${n}`]);
      expect(pvPowerW).toBeCloseTo(v(13) * v(14), 2);
      expect(batteryPowerW).toBeCloseTo(v(9) * (v(10) - v(16)), 2);
    }
  });

  it('turns one original BMS row (one poll) into one sample with every field of 0x90 ... 0x98', () => {
    const poll = new Map<string, FixtureCase>();
    for (const c of fixtures('daly.json')) if (/^daly-9[0-8]-(mpp|b)/.test(c.id) && withLegacy(c) && !poll.has(c.command)) poll.set(c.command, c);
    const row: Record<string, number | string> = {};
    const live: Record<string, FieldValue> = {};
    for (const c of poll.values()) {
      const { legacy, ...decoded } = c.expected ?? {};
      Object.assign(row, legacy);
      Object.assign(live, toSampleValues(decoded));
    }
    expect(Object.keys(row).length).toBe(49);
    const result = legacyRowToSample('BMS', 5000, row);
    if (!result.ok) throw new Error(result.error);
    expect(result.value).toMatchObject({ device: 'bms', tsMs: 5000 });
    const { 'temperaturesC[0]': temperature, ...values } = result.value.values;
    expectSameValues(values, live);
    expect(temperature).toBe(live['temperaturesC[0]']);
    expect(values.socPct).toBe(live.socPct);
    expect(values['activeAlarms[0]']).toBe('socLowL2');
  });

  it('names the balancing cells from the 64-character string as protocols.md §2.9 numbers them', () => {
    const row: Record<string, number | string> = {};
    for (let n = 1; n <= 49; n++) row[`var${n}`] = 0;
    row.var22 = '00000000';
    for (let n = 42; n <= 48; n++) row[`var${n}`] = '00000000';
    const balancing = fixtures('daly.json').find((c) => c.id === 'daly-97-8s-cpy-balancing');
    row.var41 = String(balancing?.expected?.legacy?.var41);
    const result = legacyRowToSample('BMS', 0, row);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.values.balanceBitsHex).toBe(balancing?.expected?.balanceBitsHex);
    expect([result.value.values['balancingCells[0]'], result.value.values['balancingCells[1]']]).toEqual(balancing?.expected?.balancingCells);
  });

  it('reads the SDM230 row in mbmd order', () => {
    const c = fixtures('mbmd.json').find((f) => withLegacy(f));
    const result = legacyRowToSample('SDM230', 0, c?.expected?.legacy ?? {});
    if (!result.ok) throw new Error(result.error);
    expect(result.value).toMatchObject({ device: 'meter', source: 'sdm230' });
    expectSameValues(result.value.values, c?.expected?.values as Record<string, FieldValue>);
    expect(Object.keys(result.value.values).length).toBe(13);
  });

  it('refuses a row with a missing or garbled value, saying which column', () => {
    const cases: Array<[LegacyTableName, Record<string, unknown>, RegExp]> = [
      ['QPIGS', { var1: 230 }, /var2 is missing, expected a number/],
      ['QPIWS', { var1: '01x1', var2: 'OK' }, /QPIWS reply/],
      ['QMOD', { var1: null }, /var1 is null, expected text/],
      ['SDM230', Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`var${i + 1}`, i === 7 ? 'NaN' : 1])), /var8 is "NaN"/],
    ];
    for (const [table, vars, why] of cases) {
      const result = legacyRowToSample(table, 0, vars);
      expect(result.ok, table).toBe(false);
      if (!result.ok) expect(result.error).toMatch(why);
    }
  });
});
