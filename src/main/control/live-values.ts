/**
 * The controller's picture of the plant: the latest value of every series with the time it was read,
 * built from the live sample stream. A value older than `staleAfterMs` counts as unknown, so a device
 * that went silent cannot keep a rule firing on what it said long ago.
 */
import type { FieldValue, Sample } from '../../shared/samples.js';

export interface LiveValues {
  update(sample: Sample): void;
  /** Set one series directly (a confirmed setting, a simulated device state). */
  set(series: string, value: FieldValue, tsMs: number): void;
  /** The value if known and fresh at `atMs`, else undefined. */
  get(series: string, atMs: number): FieldValue | undefined;
  /** Fresh values of every series `series[0]`, `series[1]`, … (e.g. `bms.cellVoltagesV`). */
  indexed(prefix: string, atMs: number): number[];
}

export function createLiveValues(staleAfterMs: number): LiveValues {
  const latest = new Map<string, { value: FieldValue; tsMs: number }>();
  const indexedNames = new Map<string, Set<string>>();
  const fresh = (entry: { value: FieldValue; tsMs: number } | undefined, atMs: number) =>
    entry !== undefined && entry.value !== null && atMs - entry.tsMs <= staleAfterMs ? entry.value : undefined;

  const set = (series: string, value: FieldValue, tsMs: number): void => {
    latest.set(series, { value, tsMs });
    const bracket = series.indexOf('[');
    if (bracket > 0) {
      const prefix = series.slice(0, bracket);
      let names = indexedNames.get(prefix);
      if (!names) indexedNames.set(prefix, (names = new Set()));
      names.add(series);
    }
  };

  return {
    update(sample) {
      for (const [field, value] of Object.entries(sample.values)) set(`${sample.device}.${field}`, value, sample.tsMs);
    },
    set,
    get: (series, atMs) => fresh(latest.get(series), atMs),
    indexed(prefix, atMs) {
      const out: number[] = [];
      for (const name of indexedNames.get(prefix) ?? []) {
        const v = fresh(latest.get(name), atMs);
        if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
      }
      return out;
    },
  };
}
