/**
 * Hourly energy, written like the rollups (see rollup.ts): hours from the watermark on are summed in memory
 * and written once they have closed, every hour or so of data and at close, instead of rewriting the
 * current hour's row with every batch. After a crash the hours from the watermark on are integrated again
 * from the raw power rows when the store opens.
 */
import type Database from 'better-sqlite3';
import { ENERGY_QUANTITIES, POWER_SERIES, emptyTotals, integrateStep, type EnergyQuantity, type HourlyEnergy, type PowerPoint } from './energy-integrator.js';
import { locateSeries } from './tables.js';
import type { ZoneClock } from './zone.js';

const WATERMARK_KEY = 'energy';
/** Hours that ended less than this before the newest sample stay open for a late meter sample. */
const GRACE_MS = 60_000;

const COLUMNS: Record<EnergyQuantity, string> = {
  pvProduced: 'pv_produced_wh',
  loadConsumed: 'load_consumed_wh',
  gridImported: 'grid_imported_wh',
  gridExported: 'grid_exported_wh',
  batteryCharged: 'battery_charged_wh',
  batteryDischarged: 'battery_discharged_wh',
};

export class EnergyBuffer {
  readonly pending: HourlyEnergy = new Map();
  private watermark: number;
  private newestMs = Number.NEGATIVE_INFINITY;
  private readonly upsert: Database.Statement;
  private readonly saveWatermark: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly zone: ZoneClock,
    private readonly gapMs: number,
  ) {
    const cols = ENERGY_QUANTITIES.map((q) => COLUMNS[q]);
    this.upsert = db.prepare(
      `INSERT INTO energy_hour (hour_start_ms, ${cols.join(', ')}) VALUES (?${', ?'.repeat(cols.length)})
       ON CONFLICT (hour_start_ms) DO UPDATE SET ${cols.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
    );
    this.saveWatermark = db.prepare('INSERT INTO rollup_watermark (level, bucket_ms) VALUES (?, ?) ON CONFLICT (level) DO UPDATE SET bucket_ms = excluded.bucket_ms');
    const row = db.prepare('SELECT bucket_ms FROM rollup_watermark WHERE level = ?').get(WATERMARK_KEY) as { bucket_ms: number } | undefined;
    this.watermark = row?.bucket_ms ?? Number.NEGATIVE_INFINITY;
  }

  /** Inside the batch's transaction: add its hours before the watermark to their rows. */
  writeLate(batch: HourlyEnergy): void {
    batch.forEach((totals, hourMs) => {
      if (hourMs < this.watermark) this.write(hourMs, totals);
    });
  }

  /** After the batch committed: keep its other hours in memory. (The watermark moves only in writeClosed, never in between.) */
  absorb(batch: HourlyEnergy, newestMs: number): void {
    batch.forEach((totals, hourMs) => {
      if (hourMs < this.watermark) return;
      const sum = this.pending.get(hourMs) ?? emptyTotals();
      for (let i = 0; i < ENERGY_QUANTITIES.length; i++) {
        const q = ENERGY_QUANTITIES[i] as EnergyQuantity;
        sum[q] += totals[q];
      }
      this.pending.set(hourMs, sum);
    });
    this.newestMs = Math.max(this.newestMs, newestMs);
  }

  /** Write the hours that have closed and move the watermark to the open hour. */
  writeClosed(): void {
    if (!Number.isFinite(this.newestMs)) return;
    const cutoff = Math.max(this.zone.startOf('hour', this.newestMs - GRACE_MS), this.watermark);
    this.db.transaction(() => {
      for (const [hourMs, totals] of this.pending) if (hourMs < cutoff) this.write(hourMs, totals);
      this.saveWatermark.run(WATERMARK_KEY, cutoff);
    })();
    for (const hourMs of [...this.pending.keys()]) if (hourMs < cutoff) this.pending.delete(hourMs);
    this.watermark = cutoff;
  }

  /** At close: write every hour; the watermark stays, so the next open integrates the open hour again. */
  writeAll(): void {
    this.db.transaction(() => {
      for (const [hourMs, totals] of this.pending) this.write(hourMs, totals);
    })();
    this.pending.clear();
  }

  /** At open: integrate the raw power rows from the watermark on again, replacing those hours. */
  rebuildFromWatermark(): void {
    const watermark = Number.isFinite(this.watermark) ? this.watermark : 0;
    const hours: HourlyEnergy = new Map();
    for (const power of POWER_SERIES) {
      const location = locateSeries(power.series);
      if (!location) continue;
      const { table, column } = location;
      const before = this.db.prepare(`SELECT ts_ms, ${column.column} FROM ${table.name} WHERE ts_ms < ? AND ${column.column} IS NOT NULL ORDER BY ts_ms DESC LIMIT 1`).raw(true).get(watermark) as [number, number] | undefined;
      let previous: PowerPoint | undefined = before ? { tsMs: before[0], powerW: before[1] } : undefined;
      const rows = this.db.prepare(`SELECT ts_ms, ${column.column} FROM ${table.name} WHERE ts_ms >= ? AND ${column.column} IS NOT NULL ORDER BY ts_ms`).raw(true).iterate(watermark) as Iterable<[number, number]>;
      for (const [tsMs, powerW] of rows) {
        const point = { tsMs, powerW };
        if (previous) integrateStep(previous, point, power, { gapMs: this.gapMs, hourStart: (t) => this.zone.startOf('hour', t) }, hours);
        previous = point;
      }
    }
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM energy_hour WHERE hour_start_ms >= ?').run(watermark);
      for (const [hourMs, totals] of hours) if (hourMs >= watermark) this.write(hourMs, totals);
    })();
  }

  private write(hourMs: number, totals: Record<EnergyQuantity, number>): void {
    this.upsert.run(hourMs, ...ENERGY_QUANTITIES.map((q) => totals[q]));
  }
}
