/**
 * Rollups: per-sample tables are summarised at 1 minute, 1 hour and 1 day (UTC buckets) as min, max, sum
 * and count per series. Each committed batch is summarised in memory and merged into the newest ("open")
 * bucket of each level, which stays in memory and is written once, when a later bucket begins or the
 * store closes: rewriting the same rows every 5 s would double what an SD card has to write. A batch that
 * reaches back into an older bucket is merged into the stored row at once. Nothing is ever rescanned;
 * after a crash only the newest bucket of each level is rebuilt from the level below.
 */
import type Database from 'better-sqlite3';
import type { TableDef } from './tables.js';

export type RollupLevel = '1m' | '1h' | '1d';

export const ROLLUP_LEVELS: readonly RollupLevel[] = ['1m', '1h', '1d'];
export const LEVEL_MS: Record<RollupLevel, number> = { '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 };

export const rollupTableName = (level: RollupLevel, table: TableDef): string => `rollup_${level}_${table.name}`;

/** One bucket's summary of one table: arrays indexed like `table.rollupColumns`. */
export interface BucketSummary {
  min: Array<number | null>;
  max: Array<number | null>;
  sum: number[];
  n: number[];
}

export class BatchRollup {
  /** level -> table name -> bucket start -> summary */
  private readonly buckets = new Map<RollupLevel, Map<TableDef, Map<number, BucketSummary>>>();

  add(table: TableDef, columnIndex: number, tsMs: number, value: number): void {
    for (const level of ROLLUP_LEVELS) {
      const bucketMs = Math.floor(tsMs / LEVEL_MS[level]) * LEVEL_MS[level];
      const byTable = this.buckets.get(level) ?? new Map<TableDef, Map<number, BucketSummary>>();
      this.buckets.set(level, byTable);
      const byBucket = byTable.get(table) ?? new Map<number, BucketSummary>();
      byTable.set(table, byBucket);
      let summary = byBucket.get(bucketMs);
      if (!summary) {
        const width = table.rollupColumns.length;
        summary = { min: new Array<number | null>(width).fill(null), max: new Array<number | null>(width).fill(null), sum: new Array<number>(width).fill(0), n: new Array<number>(width).fill(0) };
        byBucket.set(bucketMs, summary);
      }
      const min = summary.min[columnIndex];
      const max = summary.max[columnIndex];
      summary.min[columnIndex] = min === null || min === undefined || value < min ? value : min;
      summary.max[columnIndex] = max === null || max === undefined || value > max ? value : max;
      summary.sum[columnIndex] = (summary.sum[columnIndex] ?? 0) + value;
      summary.n[columnIndex] = (summary.n[columnIndex] ?? 0) + 1;
    }
  }

  *entries(): Generator<{ level: RollupLevel; table: TableDef; bucketMs: number; summary: BucketSummary }> {
    for (const [level, byTable] of this.buckets) {
      for (const [table, byBucket] of byTable) for (const [bucketMs, summary] of byBucket) yield { level, table, bucketMs, summary };
    }
  }
}

/** Statement that merges one bucket summary into the stored bucket (min of mins, sum of sums…). */
export function prepareRollupUpsert(db: Database.Database, level: RollupLevel, table: TableDef): Database.Statement {
  const cols = table.rollupColumns.map((c) => c.column);
  const names = cols.flatMap((c) => [`${c}_min`, `${c}_max`, `${c}_sum`, `${c}_n`]);
  const updates = cols.flatMap((c) => [
    `${c}_min = coalesce(min(${c}_min, excluded.${c}_min), ${c}_min, excluded.${c}_min)`,
    `${c}_max = coalesce(max(${c}_max, excluded.${c}_max), ${c}_max, excluded.${c}_max)`,
    `${c}_sum = ${c}_sum + excluded.${c}_sum`,
    `${c}_n = ${c}_n + excluded.${c}_n`,
  ]);
  return db.prepare(
    `INSERT INTO ${rollupTableName(level, table)} (bucket_ms, ${names.join(', ')}) VALUES (?${', ?'.repeat(names.length)})
     ON CONFLICT (bucket_ms) DO UPDATE SET ${updates.join(', ')}`,
  );
}

export interface OpenBucket {
  bucketMs: number;
  summary: BucketSummary;
}

/** Key of one open bucket: level and table. */
export const openKey = (level: RollupLevel, table: TableDef): string => `${level}|${table.name}`;

/** A new summary holding both (inputs are never changed: the writer's state is copy-on-write). */
export function mergeSummaries(a: BucketSummary, b: BucketSummary): BucketSummary {
  const pick = (x: number | null | undefined, y: number | null | undefined, better: (p: number, q: number) => number): number | null =>
    x === null || x === undefined ? (y ?? null) : y === null || y === undefined ? x : better(x, y);
  return {
    min: a.min.map((x, i) => pick(x, b.min[i], Math.min)),
    max: a.max.map((x, i) => pick(x, b.max[i], Math.max)),
    sum: a.sum.map((x, i) => x + (b.sum[i] ?? 0)),
    n: a.n.map((x, i) => x + (b.n[i] ?? 0)),
  };
}

/**
 * Statements that recompute the newest bucket of each level from the level below (raw rows for 1m),
 * replacing what is stored: run at open, they repair what a crash kept from being written.
 */
export function prepareRebuild(db: Database.Database, table: TableDef): Array<{ level: RollupLevel; newest: Database.Statement; rebuild: Database.Statement }> {
  const cols = table.rollupColumns.map((c) => c.column);
  const names = cols.flatMap((c) => [`${c}_min`, `${c}_max`, `${c}_sum`, `${c}_n`]).join(', ');
  const fromRaw = cols.flatMap((c) => [`min(${c})`, `max(${c})`, `total(${c})`, `count(${c})`]).join(', ');
  const fromLevel = cols.flatMap((c) => [`min(${c}_min)`, `max(${c}_max)`, `total(${c}_sum)`, `total(${c}_n)`]).join(', ');
  return ROLLUP_LEVELS.map((level, i) => {
    const below = i === 0 ? { name: table.name, key: 'ts_ms', aggregates: fromRaw } : { name: rollupTableName(ROLLUP_LEVELS[i - 1] as RollupLevel, table), key: 'bucket_ms', aggregates: fromLevel };
    return {
      level,
      newest: db.prepare(`SELECT max(${below.key}) AS newest FROM ${below.name}`),
      rebuild: db.prepare(
        `INSERT OR REPLACE INTO ${rollupTableName(level, table)} (bucket_ms, ${names})
         SELECT ?, ${below.aggregates} FROM ${below.name} WHERE ${below.key} >= ? AND ${below.key} < ?`,
      ),
    };
  });
}

export function summaryParams(bucketMs: number, summary: BucketSummary): Array<number | null> {
  const params: Array<number | null> = [bucketMs];
  for (let i = 0; i < summary.n.length; i++) params.push(summary.min[i] ?? null, summary.max[i] ?? null, summary.sum[i] ?? 0, summary.n[i] ?? 0);
  return params;
}
