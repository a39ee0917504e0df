import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, truthOf, type Comparator, type Condition, type EvaluationContext } from './conditions.js';
import { createLiveValues } from './live-values.js';
import { DEFAULT_RULES } from './rules.js';
import { DEFAULT_THRESHOLDS } from './thresholds.js';

const STALE_MS = 300_000;
const AT_MS = 1_000_000;
const SERIES = ['inverter.batteryVoltageV', 'bms.socPct', 'bms.chargeMosOn', 'inverter.outputSourcePriority'];

const comparator = fc.constantFrom<Comparator>('<', '<=', '>', '>=', '==', '!=');
const operand = fc.oneof(
  fc.record({ threshold: fc.constantFrom('batteryFullV' as const, 'socLowPct' as const, 'cellMaxV' as const), plus: fc.option(fc.double({ min: -2, max: 2, noNaN: true }), { nil: undefined }) }),
  fc.record({ value: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constantFrom('sbu', 'utilityFirst'), fc.boolean()) }),
);
const comparison = fc.record({
  series: fc.constantFrom(...SERIES, 'bms.cellVoltagesV', 'meter.neverReported'),
  of: fc.option(fc.constantFrom('max' as const, 'min' as const), { nil: undefined }),
  op: comparator,
  to: operand,
  ifUnknown: fc.option(fc.boolean(), { nil: undefined }),
});
const condition: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison.map((c) => JSON.parse(JSON.stringify(c)) as Condition),
    fc.record({ localHourIs: fc.constant('restoreHour' as const) }),
    fc.record({ all: fc.array(tie('c'), { maxLength: 4 }) }),
    fc.record({ any: fc.array(tie('c'), { maxLength: 4 }) }),
  ),
})).c;
interface Plant {
  batteryVoltageV: number | undefined;
  socPct: number | undefined;
  chargeMosOn: boolean | undefined;
  outputSourcePriority: string | undefined;
  cells: number[];
  staleCellV: number;
  hour: number;
}
/** Some series known, some missing; cells with a stale member. */
const plant: fc.Arbitrary<Plant> = fc.record({
  batteryVoltageV: fc.option(fc.double({ min: 44, max: 60, noNaN: true }), { nil: undefined }),
  socPct: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  chargeMosOn: fc.option(fc.boolean(), { nil: undefined }),
  outputSourcePriority: fc.option(fc.constantFrom('sbu', 'utilityFirst'), { nil: undefined }),
  cells: fc.array(fc.double({ min: 2.5, max: 3.7, noNaN: true }), { maxLength: 5 }),
  staleCellV: fc.double({ min: 2.5, max: 3.7, noNaN: true }),
  hour: fc.integer({ min: 0, max: 23 }),
});

function contextFor(p: Plant): EvaluationContext {
  const live = createLiveValues(STALE_MS);
  const values: Record<string, number | string | boolean> = {};
  if (p.batteryVoltageV !== undefined) values.batteryVoltageV = p.batteryVoltageV;
  if (p.outputSourcePriority !== undefined) values.outputSourcePriority = p.outputSourcePriority;
  live.update({ device: 'inverter', tsMs: AT_MS, source: 'QPIGS', values });
  const bms: Record<string, number | boolean> = {};
  if (p.socPct !== undefined) bms.socPct = p.socPct;
  if (p.chargeMosOn !== undefined) bms.chargeMosOn = p.chargeMosOn;
  p.cells.forEach((v, i) => (bms[`cellVoltagesV[${i}]`] = v));
  live.update({ device: 'bms', tsMs: AT_MS, source: '0x95', values: bms });
  live.set(`bms.cellVoltagesV[${p.cells.length}]`, p.staleCellV, AT_MS - STALE_MS - 1);
  return { live, thresholds: DEFAULT_THRESHOLDS, atMs: AT_MS, localHour: () => p.hour };
}

describe('condition truth without reasons', () => {
  it('is the truth that evaluate gives with its reasons, for any condition over any plant state', () => {
    fc.assert(
      fc.property(condition, plant, (c, p) => {
        const ctx = contextFor(p);
        expect(truthOf(c, ctx)).toBe(evaluate(c, ctx).truth);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with evaluate on every default rule', () => {
    fc.assert(
      fc.property(plant, (p) => {
        const ctx = contextFor(p);
        for (const rule of DEFAULT_RULES) {
          expect(truthOf(rule.when, ctx)).toBe(evaluate(rule.when, ctx).truth);
          if (rule.rearmWhen) expect(truthOf(rule.rearmWhen, ctx)).toBe(evaluate(rule.rearmWhen, ctx).truth);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('takes the highest fresh cell, ignoring a stale one', () => {
    const ctx = contextFor({ batteryVoltageV: 53, socPct: 50, chargeMosOn: true, outputSourcePriority: 'sbu', cells: [3.3, 3.41, 3.35], staleCellV: 3.65, hour: 3 });
    const over = (limit: number): Condition => ({ series: 'bms.cellVoltagesV', of: 'max', op: '>=', to: { value: limit } });
    expect(truthOf(over(3.41), ctx)).toBe(true);
    expect(truthOf(over(3.42), ctx)).toBe(false);
    expect(evaluate(over(3.41), ctx).because).toEqual(['max bms.cellVoltagesV 3.41 >= 3.41']);
  });
});
