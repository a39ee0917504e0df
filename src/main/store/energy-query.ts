/** Energy per local hour, day or month, summed from the stored hourly energy (Wh per local hour). */
import type Database from 'better-sqlite3';
import type { EnergyResponse, EnergyTotals } from '../../shared/api.js';
import { StoreInputError } from './errors.js';
import { ENERGY_QUANTITIES, emptyTotals, type HourlyEnergy } from './energy-integrator.js';
import type { EnergyQuery } from './types.js';
import type { ZoneClock } from './zone.js';

const PERIODS = ['hour', 'day', 'month'] as const;
/** More rows than any chart or table shows (ten years of days). */
export const MAX_ENERGY_ROWS = 4000;

/** kWh to the mWh: enough for any display, and free of float noise from summing hours. */
const roundKwh = (wh: number): number => Math.round(wh * 1000) / 1_000_000;

/** (a − b) / a as a percentage within 0..100, or null when a is 0. */
function share(total: number, minus: number): number | null {
  if (total <= 0) return null;
  const pct = ((total - minus) / total) * 100;
  return Math.round(Math.min(100, Math.max(0, pct)) * 10) / 10;
}

export class EnergyReader {
  private readonly select: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly zone: ZoneClock,
    /** Hours not yet written (see energy-buffer.ts). */
    private readonly pending: HourlyEnergy,
  ) {
    this.select = db.prepare(
      `SELECT hour_start_ms, pv_produced_wh, load_consumed_wh, grid_imported_wh, grid_exported_wh, battery_charged_wh, battery_discharged_wh
       FROM energy_hour WHERE hour_start_ms >= ? AND hour_start_ms < ? ORDER BY hour_start_ms`,
    );
  }

  /** Stored hours plus the hours still in memory, in time order (an hour may have a part in each). */
  private withPending(rows: number[][], from: number, to: number): number[][] {
    if (this.pending.size === 0) return rows;
    const byHour = new Map(rows.map((r) => [r[0] as number, r]));
    for (const [hourMs, totals] of this.pending) {
      if (hourMs < from || hourMs >= to) continue;
      const row = byHour.get(hourMs) ?? [hourMs, 0, 0, 0, 0, 0, 0];
      byHour.set(hourMs, [hourMs, ...ENERGY_QUANTITIES.map((q, i) => (row[i + 1] as number) + totals[q])]);
    }
    return [...byHour.values()].sort((a, b) => (a[0] as number) - (b[0] as number));
  }

  query(query: EnergyQuery): EnergyResponse {
    const { period, from, to } = query;
    if (!(PERIODS as readonly string[]).includes(period)) throw new StoreInputError('badQuery', `period must be one of ${PERIODS.join(', ')}`);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from >= to) throw new StoreInputError('badQuery', 'energy needs integer UTC ms with from < to');
    const first = this.zone.startOf(period, from);
    const rows = this.withPending(this.select.raw(true).all(first, to) as number[][], first, to);
    const response: EnergyResponse = { period, timeZone: this.zone.timeZone, rows: [] };
    let start = first;
    let end = this.zone.next(period, start);
    let totals: Record<keyof EnergyTotals, number> | null = null;
    const emit = (): void => {
      if (!totals) return;
      if (response.rows.length >= MAX_ENERGY_ROWS) throw new StoreInputError('badQuery', `more than ${MAX_ENERGY_ROWS} ${period}s: ask for a shorter range or a longer period`);
      const kwh = Object.fromEntries(ENERGY_QUANTITIES.map((q) => [q, roundKwh(totals![q])])) as unknown as EnergyTotals;
      response.rows.push({
        startTsMs: start,
        label: this.zone.label(period, start),
        kwh,
        selfConsumptionPct: share(totals.pvProduced, totals.gridExported),
        selfSufficiencyPct: share(totals.loadConsumed, totals.gridImported),
      });
      totals = null;
    };
    for (const row of rows) {
      const hourMs = row[0] as number;
      while (hourMs >= end) {
        emit();
        start = end;
        end = this.zone.next(period, start);
      }
      totals ??= emptyTotals();
      ENERGY_QUANTITIES.forEach((q, i) => (totals![q] += row[i + 1] as number));
    }
    emit();
    return response;
  }
}
