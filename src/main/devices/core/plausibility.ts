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

function resolve(bound: Bound | undefined, values: Readonly<Record<string, FieldValue>>): { limit: number; text: string } | null {
  if (bound === undefined) return null;
  if (typeof bound === 'number') return { limit: bound, text: String(bound) };
  const other = numberOf(values, bound.field);
  if (other === null) return null;
  const offset = bound.offset ?? 0;
  const limit = other * bound.factor + offset;
  return { limit, text: `${bound.factor} × ${bound.field}${offset ? ` + ${offset}` : ''} (${limit})` };
}

/**
 * Every rule the values break. A rule whose field (or bound field) is absent or null is skipped: a unit
 * without a field cannot be wrong about it.
 */
export function checkPlausibility(values: Readonly<Record<string, FieldValue>>, rules: readonly PlausibilityRule[]): Violation[] {
  const violations: Violation[] = [];
  for (const rule of rules) {
    for (const field of fieldsOf(rule.field, values)) checkRule({ ...rule, field }, values, violations);
  }
  return violations;
}

function fieldsOf(pattern: string, values: Readonly<Record<string, FieldValue>>): string[] {
  if (!pattern.endsWith('[*]')) return [pattern];
  const prefix = pattern.slice(0, -2);
  return Object.keys(values).filter((key) => key.startsWith(prefix) && /^\d+\]$/.test(key.slice(prefix.length)));
}

function checkRule(rule: PlausibilityRule, values: Readonly<Record<string, FieldValue>>, violations: Violation[]): void {
  const value = numberOf(values, rule.field);
  if (value === null) return;
  if (rule.when) {
    const gate = numberOf(values, rule.when.field);
    if (gate === null || !(gate > rule.when.above)) return;
  }
  const condition = rule.when ? ` while ${rule.when.field} > ${rule.when.above}` : '';
  const min = resolve(rule.min, values);
  const max = resolve(rule.max, values);
  if (min && value < min.limit) violations.push({ field: rule.field, value, message: `${rule.field} ${value} below ${min.text}${condition}` });
  if (max && value > max.limit) violations.push({ field: rule.field, value, message: `${rule.field} ${value} above ${max.text}${condition}` });
}
