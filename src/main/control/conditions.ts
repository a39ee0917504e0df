/**
 * Rule conditions as data, and their evaluation in three-valued logic: a comparison on a series nobody
 * reported is unknown, and an unknown condition never fires a rule. Each evaluation also says which
 * values made it true, so every decision can name its reason.
 */
import type { FieldValue } from '../../shared/samples.js';
import type { LiveValues } from './live-values.js';
import type { ControllerThresholds } from './thresholds.js';
import { zoneClock } from '../../shared/zone.js';

export type ThresholdName = keyof ControllerThresholds;
export type Comparator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export type Operand = { threshold: ThresholdName; plus?: number } | { value: number | string | boolean };

/**
 * `series` is a series name; with `of: 'max' | 'min'` it names an indexed family by its prefix
 * (`bms.cellVoltagesV`) and compares the highest or lowest member. `ifUnknown` gives the truth to use
 * when the series is unknown (default: unknown).
 */
export interface Comparison {
  series: string;
  of?: 'max' | 'min';
  op: Comparator;
  to: Operand;
  ifUnknown?: boolean;
}

export type Condition = { all: Condition[] } | { any: Condition[] } | Comparison | { localHourIs: ThresholdName };

export interface Evaluation {
  /** null = unknown */
  truth: boolean | null;
  /** Human-readable facts behind a true result, e.g. `inverter.batteryVoltageV 54.9 >= batteryFullV 54.5`. */
  because: string[];
  /** The values consulted that made it true. */
  values: Record<string, FieldValue>;
}

export interface EvaluationContext {
  live: LiveValues;
  thresholds: ControllerThresholds;
  atMs: number;
  localHour: (tsMs: number) => number;
}

const compare = (a: FieldValue, op: Comparator, b: number | string | boolean): boolean | null => {
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
};

const round = (v: FieldValue): FieldValue => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v);

/** The compared value: the series' fresh value, or the highest/lowest fresh member of a family; undefined if unknown. */
function comparedValue(c: Comparison, ctx: EvaluationContext): FieldValue | undefined {
  return c.of ? ctx.live.extreme(c.series, c.of, ctx.atMs) : ctx.live.get(c.series, ctx.atMs);
}

const targetOf = (to: Operand, thresholds: ControllerThresholds): number | string | boolean =>
  'threshold' in to ? thresholds[to.threshold] + (to.plus ?? 0) : to.value;

/**
 * Whether the condition holds (null: unknown), without saying why. The rules run on every sample, in V8's
 * interpreter on a Pi: this allocates nothing, and `evaluate` builds the reasons only for a decision.
 */
export function truthOf(condition: Condition, ctx: EvaluationContext): boolean | null {
  if ('all' in condition) return combine(condition.all, false, ctx);
  if ('any' in condition) return combine(condition.any, true, ctx);
  if ('localHourIs' in condition) return ctx.localHour(ctx.atMs) === ctx.thresholds[condition.localHourIs];
  const value = comparedValue(condition, ctx);
  if (value === undefined) return condition.ifUnknown ?? null;
  return compare(value, condition.op, targetOf(condition.to, ctx.thresholds));
}

/**
 * Three-valued all/any: the first part whose truth is `decisive` (false for all, true for any) decides;
 * otherwise an unknown part leaves the whole unknown. Indexed: for-of allocates per step in the interpreter.
 */
function combine(parts: readonly Condition[], decisive: boolean, ctx: EvaluationContext): boolean | null {
  let unknown = false;
  for (let i = 0; i < parts.length; i++) {
    const truth = truthOf(parts[i] as Condition, ctx);
    if (truth === decisive) return decisive;
    if (truth === null) unknown = true;
  }
  return unknown ? null : !decisive;
}

function evaluateComparison(c: Comparison, ctx: EvaluationContext): Evaluation {
  const value = comparedValue(c, ctx);
  const label = c.of ? `${c.of} ${c.series}` : c.series;
  if (value === undefined) {
    const truth = c.ifUnknown ?? null;
    return { truth, because: truth ? [`${label} unknown`] : [], values: {} };
  }
  const target = targetOf(c.to, ctx.thresholds);
  const truth = compare(value, c.op, target);
  const targetLabel = 'threshold' in c.to ? `${c.to.threshold}${c.to.plus ? ` ${c.to.plus > 0 ? '+' : ''}${c.to.plus}` : ''} (${round(target as number)})` : JSON.stringify(target);
  return {
    truth,
    because: truth ? [`${label} ${JSON.stringify(round(value))} ${c.op} ${targetLabel}`] : [],
    values: truth ? { [label]: round(value) } : {},
  };
}

/** The truth of `truthOf` and, when it holds, the facts behind it. */
export function evaluate(condition: Condition, ctx: EvaluationContext): Evaluation {
  if ('all' in condition) {
    const parts = condition.all.map((c) => evaluate(c, ctx));
    if (parts.some((p) => p.truth === false)) return { truth: false, because: [], values: {} };
    if (parts.some((p) => p.truth === null)) return { truth: null, because: [], values: {} };
    return merge(parts);
  }
  if ('any' in condition) {
    const parts = condition.any.map((c) => evaluate(c, ctx));
    const held = parts.filter((p) => p.truth === true);
    if (held.length > 0) return merge(held);
    if (parts.some((p) => p.truth === null)) return { truth: null, because: [], values: {} };
    return { truth: false, because: [], values: {} };
  }
  if ('localHourIs' in condition) {
    const hour = ctx.thresholds[condition.localHourIs];
    const truth = ctx.localHour(ctx.atMs) === hour;
    return { truth, because: truth ? [`local time is ${String(hour).padStart(2, '0')}:xx`] : [], values: {} };
  }
  return evaluateComparison(condition, ctx);
}

function merge(parts: Evaluation[]): Evaluation {
  return {
    truth: true,
    because: parts.flatMap((p) => p.because),
    values: Object.assign({}, ...parts.map((p) => p.values)) as Record<string, FieldValue>,
  };
}

/** The hour of the day (0-23) in an IANA zone, DST included. */
export function localHourIn(timeZone: string): (tsMs: number) => number {
  const clock = zoneClock(timeZone);
  return (tsMs) => Math.floor(clock.hourOfDay(tsMs));
}
