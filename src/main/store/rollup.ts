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

/**
 * One batch's aggregate of one series in one bucket. The writer sums a batch per bucket first and only then
 * merges it into a stored row or a pending bucket, so sums add up in the same order whichever way it goes.
 */
export interface BatchBucket extends Aggregate {
  level: RollupLevel;
  seriesId: number;
  /** bucket start / LEVEL_MS[level]: a small integer, which V8's interpreter compares without boxing a double. */
  index: number;
}

export const bucketStart = (bucket: BatchBucket): number => bucket.index * LEVEL_MS[bucket.level];

/**
 * The buckets of the batch being committed. Its objects are reused from one batch to the next, so a warm commit
 * allocates next to nothing here. Samples are added in time order, so within a batch a series only moves on to
 * a later bucket, never back: the newest bucket per series is the only one to look up.
 */
export class BatchRollup {
  private readonly buckets: BatchBucket[] = [];
  private count = 0;
  /** Per level (as in ROLLUP_LEVELS): series id -> index of its newest bucket; stale if past `count` or naming another series. */
  private readonly newest = ROLLUP_LEVELS.map(() => new Map<number, number>());
  /** Per level: the bucket index of the sample being added (set by `at`, once per sample rather than per value). */
  private readonly indexes = ROLLUP_LEVELS.map(() => 0);

  get size(): number {
    return this.count;
  }

  bucket(i: number): BatchBucket {
    return this.buckets[i] as BatchBucket;
  }

  clear(): void {
    this.count = 0;
  }

  /** The time of the sample whose values are added next. */
  at(tsMs: number): void {
    for (let l = 0; l < ROLLUP_LEVELS.length; l++) this.indexes[l] = Math.floor(tsMs / LEVEL_MS[ROLLUP_LEVELS[l] as RollupLevel]);
  }

  add(seriesId: number, value: number): void {
    for (let l = 0; l < ROLLUP_LEVELS.length; l++) {
      const index = this.indexes[l] as number;
      const newest = (this.newest[l] as Map<number, number>).get(seriesId);
      const current = newest !== undefined && newest < this.count ? (this.buckets[newest] as BatchBucket) : undefined;
      if (current && current.level === ROLLUP_LEVELS[l] && current.seriesId === seriesId && current.index === index) {
        current.min = Math.min(current.min, value);
        current.max = Math.max(current.max, value);
        current.sum += value;
        current.n++;
      } else {
        this.open(l, seriesId, index, value);
      }
    }
  }

  private open(levelIndex: number, seriesId: number, index: number, value: number): void {
    const level = ROLLUP_LEVELS[levelIndex] as RollupLevel;
    const reused = this.buckets[this.count];
    if (reused) {
      reused.level = level;
      reused.seriesId = seriesId;
      reused.index = index;
      reused.min = reused.max = reused.sum = value;
      reused.n = 1;
    } else {
      this.buckets.push({ level, seriesId, index, min: value, max: value, sum: value, n: 1 });
    }
    (this.newest[levelIndex] as Map<number, number>).set(seriesId, this.count++);
  }
}

/** level -> series id -> bucket start -> aggregate: the buckets kept in memory until they are written. */
export class RollupBuckets {
  private readonly levels = new Map<RollupLevel, Map<number, Map<number, Aggregate>>>(ROLLUP_LEVELS.map((l) => [l, new Map()]));

  /** Add `aggregate` (only read) into the bucket; an existing bucket is updated in place. */
  merge(level: RollupLevel, seriesId: number, bucketMs: number, aggregate: Aggregate): void {
    const bySeries = this.series(level);
    let buckets = bySeries.get(seriesId);
    if (!buckets) {
      buckets = new Map();
      bySeries.set(seriesId, buckets);
    }
    const current = buckets.get(bucketMs);
    if (!current) {
      buckets.set(bucketMs, { min: aggregate.min, max: aggregate.max, sum: aggregate.sum, n: aggregate.n });
      return;
    }
    current.min = Math.min(current.min, aggregate.min);
    current.max = Math.max(current.max, aggregate.max);
    current.sum += aggregate.sum;
    current.n += aggregate.n;
  }

  forEach(level: RollupLevel, visit: (seriesId: number, bucketMs: number, aggregate: Aggregate) => void): void {
    this.series(level).forEach((buckets, seriesId) => buckets.forEach((aggregate, bucketMs) => visit(seriesId, bucketMs, aggregate)));
  }

  /** The buckets of one series in [fromMs, toMs). */
  range(level: RollupLevel, seriesId: number, fromMs: number, toMs: number): Array<{ bucketMs: number; aggregate: Aggregate }> {
    const out: Array<{ bucketMs: number; aggregate: Aggregate }> = [];
    this.series(level)
      .get(seriesId)
      ?.forEach((aggregate, bucketMs) => {
        if (bucketMs >= fromMs && bucketMs < toMs) out.push({ bucketMs, aggregate });
      });
    return out;
  }

  /** Forget the buckets before `beforeMs`. */
  dropBefore(level: RollupLevel, beforeMs: number): void {
    this.series(level).forEach((buckets) =>
      buckets.forEach((_, bucketMs) => {
        if (bucketMs < beforeMs) buckets.delete(bucketMs);
      }),
    );
  }

  private series(level: RollupLevel): Map<number, Map<number, Aggregate>> {
    return this.levels.get(level) as Map<number, Map<number, Aggregate>>;
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

  /** Inside the batch's transaction: write its buckets before the watermark to their stored rows. */
  writeLate(batch: BatchRollup): void {
    for (let i = 0; i < batch.size; i++) {
      const bucket = batch.bucket(i);
      const startMs = bucketStart(bucket);
      if (startMs < this.watermarkOf(bucket.level)) this.write(bucket.level, bucket.seriesId, startMs, bucket);
    }
  }

  /** After the batch committed: keep its other buckets in memory. (Watermarks move only in writeClosed, never in between.) */
  absorb(batch: BatchRollup, newestMs: number): void {
    for (let i = 0; i < batch.size; i++) {
      const bucket = batch.bucket(i);
      const startMs = bucketStart(bucket);
      if (startMs >= this.watermarkOf(bucket.level)) this.pending.merge(bucket.level, bucket.seriesId, startMs, bucket);
    }
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
        this.pending.forEach(level, (seriesId, bucketMs, aggregate) => {
          if (bucketMs < cutoff) this.write(level, seriesId, bucketMs, aggregate);
        });
        this.saveWatermark.run(level, cutoff);
      }
    })();
    for (const { level, cutoff } of cutoffs) {
      this.pending.dropBefore(level, cutoff);
      this.watermark.set(level, cutoff);
    }
  }

  /** At close: write every bucket in memory. The watermarks stay, so the next open recomputes the open buckets. */
  writeAll(): void {
    this.db.transaction(() => {
      for (const level of ROLLUP_LEVELS) this.pending.forEach(level, (seriesId, bucketMs, aggregate) => this.write(level, seriesId, bucketMs, aggregate));
    })();
    for (const level of ROLLUP_LEVELS) this.pending.dropBefore(level, Number.POSITIVE_INFINITY);
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
