/**
 * The controller's picture of the plant: the latest value of every series with the time it was read,
 * built from the live sample stream. A value older than `staleAfterMs` counts as unknown, so a device
 * that went silent cannot keep a rule firing on what it said long ago.
 */
import { putLatest, seriesName, type FieldValue, type LatestValue, type Sample } from '../../shared/samples.js';

export interface LiveValues {
  update(sample: Sample): void;
  /** Set one series directly (a confirmed setting, a simulated device state). */
  set(series: string, value: FieldValue, tsMs: number): void;
  /** The value if known and fresh at `atMs`, else undefined. */
  get(series: string, atMs: number): FieldValue | undefined;
  /** The highest or lowest fresh finite value of the series `prefix[0]`, `prefix[1]`, … (e.g. `bms.cellVoltagesV`); undefined if none. */
  extreme(prefix: string, of: 'max' | 'min', atMs: number): number | undefined;
}

export function createLiveValues(staleAfterMs: number): LiveValues {
  const latest = new Map<string, LatestValue>();
  /** Family prefix -> the entries of its members. */
  const families = new Map<string, LatestValue[]>();
  const fresh = (entry: LatestValue | undefined, atMs: number): FieldValue | undefined =>
    entry !== undefined && entry.value !== null && atMs - entry.tsMs <= staleAfterMs ? entry.value : undefined;

  // The entries never leave this module: a family keeps the ones of its members.
  const set = (series: string, value: FieldValue, tsMs: number): void => {
    const created = putLatest(latest, series, value, tsMs);
    if (!created) return;
    const bracket = series.indexOf('[');
    if (bracket > 0) {
      const prefix = series.slice(0, bracket);
      const members = families.get(prefix);
      if (members) members.push(created);
      else families.set(prefix, [created]);
    }
  };

  return {
    update(sample) {
      const { values } = sample;
      for (const field in values) set(seriesName(sample.device, field), values[field] as FieldValue, sample.tsMs);
    },
    set,
    get: (series, atMs) => fresh(latest.get(series), atMs),
    extreme(prefix, of, atMs) {
      const members = families.get(prefix);
      if (!members) return undefined;
      let found: number | undefined;
      for (let i = 0; i < members.length; i++) {
        const v = fresh(members[i], atMs);
        if (typeof v !== 'number' || !Number.isFinite(v)) continue;
        if (found === undefined || (of === 'max' ? v > found : v < found)) found = v;
      }
      return found;
    },
  };
}
