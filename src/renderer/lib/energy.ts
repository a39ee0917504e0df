/** Statistics arithmetic: totals over rows, the two shares a solar owner asks about, rows placed on a slot grid. */
import type { EnergyResponse, EnergyTotals } from '../../shared/api';

export type EnergyRow = EnergyResponse['rows'][number];

export const ENERGY_KEYS: ReadonlyArray<keyof EnergyTotals> = ['pvProduced', 'loadConsumed', 'gridImported', 'gridExported', 'batteryCharged', 'batteryDischarged'];

export const ENERGY_LABEL: Record<keyof EnergyTotals, string> = {
  pvProduced: 'PV produced',
  loadConsumed: 'Consumed',
  gridImported: 'Imported',
  gridExported: 'Exported',
  batteryCharged: 'Battery in',
  batteryDischarged: 'Battery out',
};

export const zeroTotals = (): EnergyTotals => ({ pvProduced: 0, loadConsumed: 0, gridImported: 0, gridExported: 0, batteryCharged: 0, batteryDischarged: 0 });

export function sumTotals(rows: ReadonlyArray<{ kwh: EnergyTotals }>): EnergyTotals {
  const total = zeroTotals();
  for (const row of rows) {
    for (const key of ENERGY_KEYS) {
      const v = row.kwh[key];
      if (Number.isFinite(v)) total[key] += v;
    }
  }
  return total;
}

const share = (whole: number, part: number): number | null => {
  if (!(whole > 0)) return null;
  return Math.min(100, Math.max(0, ((whole - part) / whole) * 100));
};

/** Share of the PV energy used on site rather than exported. */
export const selfConsumptionPct = (t: EnergyTotals): number | null => share(t.pvProduced, t.gridExported);

/** Share of the consumption not bought from the grid. */
export const selfSufficiencyPct = (t: EnergyTotals): number | null => share(t.loadConsumed, t.gridImported);

/**
 * Rows on a grid of slot starts (hours of a day, days of a month): a slot without a row is null, so a
 * chart shows the gap at its place instead of closing it up. A row belongs to the slot it starts in.
 */
export function placeRows<R extends { startTsMs: number }>(slotStarts: readonly number[], rows: readonly R[], slotEnd: number): Array<R | null> {
  const placed: Array<R | null> = slotStarts.map(() => null);
  for (const row of rows) {
    for (let i = slotStarts.length - 1; i >= 0; i--) {
      const start = slotStarts[i]!;
      const end = i + 1 < slotStarts.length ? slotStarts[i + 1]! : slotEnd;
      if (row.startTsMs >= start && row.startTsMs < end) {
        placed[i] = row;
        break;
      }
    }
  }
  return placed;
}
