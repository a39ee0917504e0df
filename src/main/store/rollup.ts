/**
 * Rollups: every numeric and boolean series of the per-sample tables is summarised at 1 minute, 1 hour
 * and 1 day (UTC buckets) as min, max, sum and count, in narrow tables keyed by (series, bucket) so a
 * chart reads only its own series.
 *
 * Writing them as they change would touch one page per series every few seconds, which an SD card pays
 * for. So buckets at or after a level's watermark live in memory and are written every hour or so of data
 * (and at close); a sample that reaches back before the watermark is merged into its stored row at once.
 * After a crash, everything from the watermark on is recomputed from the level below (raw rows for 1m)
 * when the store opens. Nothing is ever rescanned beyond that.
 */
import type Database from 'better-sqlite3';
import { TABLES } from './tables.js';

export type RollupLevel = '1m' | '1h' | '1d';

export const ROLLUP_LEVELS: readonly RollupLevel[] = ['1m', '1h', '1d'];
export const LEVEL_MS: Record<RollupLevel, number> = { '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 };
/** Buckets are written once the newest sample is this far past the 1-minute watermark. */
export const ROLLUP_FLUSH_MS = 60 * 60_000;
/** Buckets that ended less than this before the newest sample stay open for slower devices' samples. */
const GRACE_MS = 60_000;

export const rollupTable = (level: RollupLevel): string => `rollup_${level}`;

export interface Aggregate {
  min: number;
  max: number;
  sum: number;
  n: number;
}

export const mergeAggregates = (a: Aggregate, b: Aggregate): Aggregate => ({ min: Math.min(a.min, b.min), max: Math.max(a.max, b.max), sum: a.sum + b.sum, n: a.n + b.n });

/** level -> series id -> bucket start -> aggregate */
export class RollupBuckets {
  readonly levels = new Map<RollupLevel, Map<number, Map<number, Aggregate>>>(ROLLUP_LEVELS.map((l) => [l, new Map()]));

  add(seriesId: number, tsMs: number, value: number): void {
    for (const level of ROLLUP_LEVELS) this.merge(level, seriesId, Math.floor(tsMs / LEVEL_MS[level]) * LEVEL_MS[level], { min: value, max: value, sum: value, n: 1 });
  }

  merge(level: RollupLevel, seriesId: number, bucketMs: number, aggregate: Aggregate): void {
    const bySeries = this.levels.get(level) as Map<number, Map<number, Aggregate>>;
    const buckets = bySeries.get(seriesId) ?? new Map<number, Aggregate>();
    bySeries.set(seriesId, buckets);
    const current = buckets.get(bucketMs);
    buckets.set(bucketMs, current ? mergeAggregates(current, aggregate) : aggregate);
  }

  *entries(level: RollupLevel): Generator<{ seriesId: number; bucketMs: number; aggregate: Aggregate }> {
    for (const [seriesId, buckets] of this.levels.get(level) ?? []) for (const [bucketMs, aggregate] of buckets) yield { seriesId, bucketMs, aggregate };
  }

  /** The buckets of one series in [fromMs, toMs). */
  range(level: RollupLevel, seriesId: number, fromMs: number, toMs: number): Array<{ bucketMs: number; aggregate: Aggregate }> {
    const out: Array<{ bucketMs: number; aggregate: Aggregate }> = [];
    for (const [bucketMs, aggregate] of this.levels.get(level)?.get(seriesId) ?? []) if (bucketMs >= fromMs && bucketMs < toMs) out.push({ bucketMs, aggregate });
    return out;
  }

  /** Remove and return the buckets before `beforeMs`. */
  takeBefore(level: RollupLevel, beforeMs: number): RollupBuckets {
    const taken = new RollupBuckets();
    for (const [seriesId, buckets] of this.levels.get(level) ?? []) {
      for (const [bucketMs, aggregate] of buckets) {
        if (bucketMs >= beforeMs) continue;
        taken.merge(level, seriesId, bucketMs, aggregate);
        buckets.delete(bucketMs);
      }
    }
    return taken;
  }
}

/** The rollup tables, the watermark per level and the buckets not yet written. */
export class Rollups {
  /** Series name -> id in the rollup tables. */
  readonly ids = new Map<string, number>();
  readonly pending = new RollupBuckets();
  private readonly watermark = new Map<RollupLevel, number>();
  private newestMs = Number.NEGATIVE_INFINITY;
  private readonly upsert = new Map<RollupLevel, Database.Statement>();
  private readonly saveWatermark: Database.Statement;

  constructor(private readonly db: Database.Database) {
    const insertId = db.prepare('INSERT OR IGNORE INTO rollup_series (name) VALUES (?)');
    for (const table of TABLES) for (const column of table.rollupColumns) insertId.run(column.series);
    for (const row of db.prepare('SELECT id, name FROM rollup_series').all() as Array<{ id: number; name: string }>) this.ids.set(row.name, row.id);
    for (const row of db.prepare('SELECT level, bucket_ms FROM rollup_watermark').all() as Array<{ level: RollupLevel; bucket_ms: number }>) this.watermark.set(row.level, row.bucket_ms);
    for (const level of ROLLUP_LEVELS) {
      this.upsert.set(
        level,
        db.prepare(
          `INSERT INTO ${rollupTable(level)} (series_id, bucket_ms, min, max, sum, n) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (series_id, bucket_ms) DO UPDATE SET min = min(min, excluded.min), max = max(max, excluded.max), sum = sum + excluded.sum, n = n + excluded.n`,
        ),
      );
    }
    this.saveWatermark = db.prepare('INSERT INTO rollup_watermark (level, bucket_ms) VALUES (?, ?) ON CONFLICT (level) DO UPDATE SET bucket_ms = excluded.bucket_ms');
  }

  watermarkOf(level: RollupLevel): number {
    return this.watermark.get(level) ?? Number.NEGATIVE_INFINITY;
  }

  /** Inside the batch's transaction: write the buckets before the watermark; return the rest (to `absorb` once committed). */
  writeLate(batch: RollupBuckets): RollupBuckets {
    const rest = new RollupBuckets();
    for (const level of ROLLUP_LEVELS) {
      const watermark = this.watermarkOf(level);
      for (const { seriesId, bucketMs, aggregate } of batch.entries(level)) {
        if (bucketMs < watermark) this.write(level, seriesId, bucketMs, aggregate);
        else rest.merge(level, seriesId, bucketMs, aggregate);
      }
    }
    return rest;
  }

  /** After the batch committed: keep its buckets in memory. */
  absorb(rest: RollupBuckets, newestMs: number): void {
    for (const level of ROLLUP_LEVELS) for (const { seriesId, bucketMs, aggregate } of rest.entries(level)) this.pending.merge(level, seriesId, bucketMs, aggregate);
    this.newestMs = Math.max(this.newestMs, newestMs);
  }

  /** Whether enough closed buckets wait to be worth a write. */
  due(): boolean {
    return this.newestMs - GRACE_MS - this.watermarkOf('1m') >= ROLLUP_FLUSH_MS;
  }

  /** Write the closed buckets and move the watermarks; memory changes only once the transaction committed. */
  writeClosed(): void {
    const cutoffs = ROLLUP_LEVELS.map((level) => {
      const cutoff = Math.floor((this.newestMs - GRACE_MS) / LEVEL_MS[level]) * LEVEL_MS[level];
      return { level, cutoff: Math.max(cutoff, this.watermarkOf(level)) };
    });
    this.db.transaction(() => {
      for (const { level, cutoff } of cutoffs) {
        for (const { seriesId, bucketMs, aggregate } of this.pending.entries(level)) if (bucketMs < cutoff) this.write(level, seriesId, bucketMs, aggregate);
        this.saveWatermark.run(level, cutoff);
      }
    })();
    for (const { level, cutoff } of cutoffs) {
      this.pending.takeBefore(level, cutoff);
      this.watermark.set(level, cutoff);
    }
  }

  /** At close: write every bucket in memory. The watermarks stay, so the next open recomputes the open buckets. */
  writeAll(): void {
    this.db.transaction(() => {
      for (const level of ROLLUP_LEVELS) for (const { seriesId, bucketMs, aggregate } of this.pending.entries(level)) this.write(level, seriesId, bucketMs, aggregate);
    })();
    for (const level of ROLLUP_LEVELS) this.pending.takeBefore(level, Number.POSITIVE_INFINITY);
  }

  /** At open: recompute every bucket from the watermark on, level by level, from the level below. */
  rebuildFromWatermarks(): void {
    this.db.transaction(() => {
      for (const table of TABLES) {
        if (table.rollupColumns.length === 0) continue;
        // Raw rows older than raw retention are gone (an import of old data): keep what was written for them.
        const oldestRaw = (this.db.prepare(`SELECT min(ts_ms) AS ts FROM ${table.name}`).get() as { ts: number | null }).ts;
        if (oldestRaw === null) continue;
        const watermark = Math.max(this.watermarkOf('1m'), Math.floor(oldestRaw / LEVEL_MS['1m']) * LEVEL_MS['1m']);
        const ids = table.rollupColumns.map((c) => this.ids.get(c.series) as number);
        for (const id of ids) this.db.prepare(`DELETE FROM ${rollupTable('1m')} WHERE series_id = ? AND bucket_ms >= ?`).run(id, clampMs(watermark));
        const aggregates = table.rollupColumns.map((c) => `min(${c.column}), max(${c.column}), total(${c.column}), count(${c.column})`).join(', ');
        const rows = this.db.prepare(`SELECT ts_ms / 60000 * 60000 AS b, ${aggregates} FROM ${table.name} WHERE ts_ms >= ? GROUP BY b`).raw(true).all(clampMs(watermark)) as number[][];
        for (const row of rows) {
          ids.forEach((id, i) => {
            const n = row[1 + i * 4 + 3] as number;
            if (n > 0) this.write('1m', id, row[0] as number, { min: row[1 + i * 4] as number, max: row[2 + i * 4] as number, sum: row[3 + i * 4] as number, n });
          });
        }
      }
      for (const [level, below] of [['1h', '1m'], ['1d', '1h']] as const) {
        const watermark = clampMs(this.watermarkOf(level));
        const size = LEVEL_MS[level];
        const select = this.db.prepare(
          `SELECT bucket_ms / ${size} * ${size} AS b, min(min), max(max), total(sum), total(n) FROM ${rollupTable(below)} WHERE series_id = ? AND bucket_ms >= ? GROUP BY b`,
        );
        const remove = this.db.prepare(`DELETE FROM ${rollupTable(level)} WHERE series_id = ? AND bucket_ms >= ?`);
        for (const id of this.ids.values()) {
          remove.run(id, watermark);
          for (const [bucketMs, min, max, sum, n] of select.raw(true).all(id, watermark) as number[][]) {
            this.write(level, id, bucketMs as number, { min: min as number, max: max as number, sum: sum as number, n: n as number });
          }
        }
      }
    })();
  }

  private write(level: RollupLevel, seriesId: number, bucketMs: number, a: Aggregate): void {
    (this.upsert.get(level) as Database.Statement).run(seriesId, bucketMs, a.min, a.max, a.sum, a.n);
  }
}

/** SQLite integers: a watermark that was never set means "from the beginning". */
const clampMs = (ms: number): number => (Number.isFinite(ms) ? ms : 0);
