/**
 * Plausibility ranges: a reply can pass every checksum and still carry nonsense (a half-reset inverter
 * sending 0.5 V battery, a glitch reading 14 kW of PV). Such a reading is counted and reported, never
 * stored. Rules are data so an installation can widen or tighten them in its configuration.
 */
import type { FieldValue } from '../../../shared/samples.js';

/** A bound is a number, or another field times a factor plus an offset (e.g. discharge power at most 2 × load + 100 W). */
export type Bound = number | { field: string; factor: number; offset?: number };

export interface PlausibilityRule {
  /** A field name; `cellVoltagesV[*]` applies the rule to every element of a flattened array. */
  field: string;
  min?: Bound;
  max?: Bound;
  /** Check only while another field is above a value (e.g. output frequency only while output voltage > 0). */
  when?: { field: string; above: number };
}

export interface Violation {
  field: string;
  value: number;
  message: string;
}

const numberOf = (values: Readonly<Record<string, FieldValue>>, field: string): number | null => {
  const v = values[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/** The bound's value for these values; null when it rests on a field that is absent. */
function limitOf(bound: Bound | undefined, values: Readonly<Record<string, FieldValue>>): number | null {
  if (bound === undefined) return null;
  if (typeof bound === 'number') return bound;
  const other = numberOf(values, bound.field);
  return other === null ? null : other * bound.factor + (bound.offset ?? 0);
}

/** How a broken bound reads in the report (built only for a violation). */
function boundText(bound: Bound, limit: number): string {
  if (typeof bound === 'number') return String(bound);
  const offset = bound.offset ?? 0;
  return `${bound.factor} × ${bound.field}${offset ? ` + ${offset}` : ''} (${limit})`;
}

const whenText = (rule: PlausibilityRule): string => (rule.when ? ` while ${rule.when.field} > ${rule.when.above}` : '');

/**
 * Every rule the values break. A rule whose field (or bound field) is absent or null is skipped: a unit
 * without a field cannot be wrong about it.
 */
export function checkPlausibility(values: Readonly<Record<string, FieldValue>>, rules: readonly PlausibilityRule[]): Violation[] {
  const violations: Violation[] = [];
  // Runs on every reply: indexed loops and no per-rule objects, as the daemon runs in V8's interpreter.
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r] as PlausibilityRule;
    if (!rule.field.endsWith('[*]')) {
      checkField(rule, rule.field, values, violations);
      continue;
    }
    const prefix = rule.field.slice(0, -2);
    for (const key in values) {
      if (key.startsWith(prefix) && /^\d+\]$/.test(key.slice(prefix.length))) checkField(rule, key, values, violations);
    }
  }
  return violations;
}

function checkField(rule: PlausibilityRule, field: string, values: Readonly<Record<string, FieldValue>>, violations: Violation[]): void {
  const value = numberOf(values, field);
  if (value === null) return;
  if (rule.when) {
    const gate = numberOf(values, rule.when.field);
    if (gate === null || !(gate > rule.when.above)) return;
  }
  const min = limitOf(rule.min, values);
  const max = limitOf(rule.max, values);
  if (min !== null && value < min) violations.push({ field, value, message: `${field} ${value} below ${boundText(rule.min as Bound, min)}${whenText(rule)}` });
  if (max !== null && value > max) violations.push({ field, value, message: `${field} ${value} above ${boundText(rule.max as Bound, max)}${whenText(rule)}` });
}
