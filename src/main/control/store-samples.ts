/**
 * Samples for a backtest from the local store's history: the series the rules read (and the settings
 * the command queue checks against), in chunks, one value per 10-second bucket (its average; the store
 * answers from rollups where raw rows have expired) and enumerations at each change.
 */
import type { HistoryResponse } from '../../shared/api.js';
import type { DeviceKind, FieldValue, Sample } from '../../shared/samples.js';
import { parseSeriesName } from '../../shared/samples.js';
import { SERIES, seriesInfo } from '../../shared/series.js';
import type { Condition } from './conditions.js';
import { SETTING_FIELDS } from './limits.js';
import { stateSeries, type Rule } from './rules.js';

const BUCKET_MS = 10_000;
/** The store answers at most 10 000 points per series and 64 series per query. */
const MAX_POINTS = 10_000;
const MAX_SERIES = 64;

function conditionSeries(condition: Condition, out: Set<string>): void {
  if ('all' in condition) condition.all.forEach((c) => conditionSeries(c, out));
  else if ('any' in condition) condition.any.forEach((c) => conditionSeries(c, out));
  else if ('series' in condition) {
    if (condition.of) {
      for (const s of SERIES) if (`${s.device}.${s.field}`.startsWith(`${condition.series}[`)) out.add(`${s.device}.${s.field}`);
    } else out.add(condition.series);
  }
}

/** Every series a set of rules reads, plus the inverter settings the command queue checks. */
export function seriesUsedBy(rules: readonly Rule[]): string[] {
  const out = new Set<string>();
  for (const rule of rules) {
    conditionSeries(rule.when, out);
    if (rule.rearmWhen) conditionSeries(rule.rearmWhen, out);
    for (const action of rule.then) out.add(stateSeries(action.action));
  }
  for (const field of Object.values(SETTING_FIELDS)) out.add(`inverter.${field}`);
  return [...out].filter((name) => seriesInfo(name) !== undefined).sort();
}

export interface HistorySource {
  history(query: { series: string[]; from: number; to: number; points: number }): HistoryResponse;
}

/**
 * Settings and enumerations are stored as changes: one row when the value changes. They are carried
 * forward onto every later instant, as the device kept reporting them; measurements are not, so a gap
 * in the recording stays a gap (and goes stale in the controller as a silent device would).
 */
const carriedForward = (name: string): boolean => {
  const info = seriesInfo(name);
  if (!info) return false;
  return info.kind === 'enum' || info.kind === 'text' || (info.device === 'inverter' && (Object.values(SETTING_FIELDS) as string[]).includes(info.field));
};

export async function* storeSamples(store: HistorySource, series: string[], fromMs: number, toMs: number): AsyncGenerator<Sample> {
  const chunkMs = MAX_POINTS * BUCKET_MS;
  const carried = new Map<string, { tsMs: number; value: FieldValue }>();
  const groups: string[][] = [];
  for (let i = 0; i < series.length; i += MAX_SERIES) groups.push(series.slice(i, i + MAX_SERIES));
  for (let start = fromMs; start < toMs; start += chunkMs) {
    const end = Math.min(toMs, start + chunkMs);
    const points = Math.max(1, Math.ceil((end - start) / BUCKET_MS));
    const byTime = new Map<number, Map<DeviceKind, Record<string, FieldValue>>>();
    const put = (tsMs: number, name: string, value: FieldValue): void => {
      const parsed = parseSeriesName(name);
      if (!parsed) return;
      let devices = byTime.get(tsMs);
      if (!devices) byTime.set(tsMs, (devices = new Map()));
      const values = devices.get(parsed.device) ?? {};
      values[parsed.field] = value;
      devices.set(parsed.device, values);
    };
    for (const group of groups) {
      const answer = store.history({ series: group, from: start, to: end, points });
      for (const [name, bucketPoints] of Object.entries(answer.series)) {
        const isBoolean = seriesInfo(name)?.kind === 'boolean';
        for (const p of bucketPoints) put(p.tsMs, name, isBoolean ? p.avg >= 0.5 : Math.round(p.avg * 1000) / 1000);
      }
      for (const [name, changes] of Object.entries(answer.changes ?? {})) {
        for (const change of changes) put(change.tsMs, name, change.value);
      }
    }
    const changes: Array<{ tsMs: number; name: string; value: FieldValue }> = [];
    for (const [tsMs, devices] of byTime) {
      for (const [device, values] of devices) {
        for (const [field, value] of Object.entries(values)) {
          const name = `${device}.${field}`;
          if (carriedForward(name)) changes.push({ tsMs, name, value });
        }
      }
    }
    changes.sort((a, b) => a.tsMs - b.tsMs);
    let next = 0;
    for (const tsMs of [...byTime.keys()].sort((a, b) => a - b)) {
      while (next < changes.length && (changes[next] as { tsMs: number }).tsMs <= tsMs) {
        const change = changes[next] as { tsMs: number; name: string; value: FieldValue };
        carried.set(change.name, change);
        next += 1;
      }
      for (const [name, { value }] of carried) put(tsMs, name, value);
      for (const [device, values] of byTime.get(tsMs) ?? []) yield { device, tsMs, source: 'store', values };
    }
  }
}
