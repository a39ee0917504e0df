/**
 * History: the coarsest level whose buckets are no wider than one output bucket (range / points), among
 * the levels that still hold `from` under retention; then min/avg/max/count per output bucket, so a
 * one-sample spike survives in `max`. Output buckets are multiples of the level's bucket, aligned to
 * the epoch so a scrolling chart keeps its buckets.
 */
import type Database from 'better-sqlite3';
import type { HistoryPoint, HistoryResponse } from '../../shared/api.js';
import type { FieldValue } from '../../shared/samples.js';
import { isKnownSeries } from '../../shared/series.js';
import { StoreInputError } from './errors.js';
import { LEVEL_MS, openKey, rollupTableName, type OpenBucket, type RollupLevel } from './rollup.js';
import { locateSeries, type SeriesLocation } from './tables.js';
import type { HistoryQuery, RetentionDays } from './types.js';

type Level = HistoryResponse['level'];
const LADDER: readonly Level[] = ['raw', '1m', '1h', '1d'];
const DAY_MS = 86_400_000;
export const MAX_POINTS = 10_000;
export const MAX_SERIES = 64;

export interface Change {
  tsMs: number;
  value: FieldValue;
}

export class HistoryReader {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly retention: RetentionDays,
    private readonly now: () => number,
    /** The newest rollup buckets, still in memory (see rollup.ts). */
    private readonly openBuckets: () => ReadonlyMap<string, OpenBucket>,
  ) {}

  query(query: HistoryQuery): HistoryResponse {
    const { series, from, to, points } = checkQuery(query);
    const level = this.chooseLevel(from, (to - from) / points);
    const { origin, widthMs } = buckets(level, from, to, points);
    const result: HistoryResponse = { from, to, level, bucketMs: widthMs, series: {} };
    for (const name of series) {
      const location = locateSeries(name) as SeriesLocation;
      const { table, column } = location;
      if (column.kind === 'enum' || column.kind === 'text') {
        result.changes ??= {};
        result.changes[name] = this.changes(name, from, to, points);
      } else if (table.mode === 'changes') {
        result.series[name] = this.fromChangeTable(location, from, to, origin, widthMs);
      } else if (level === 'raw') {
        result.series[name] = this.read(`raw|${table.name}|${column.column}`, () => rawSql(table.name, column.column), [origin, widthMs, from, to], origin, widthMs);
      } else {
        const lo = Math.floor(from / LEVEL_MS[level]) * LEVEL_MS[level];
        const points = this.read(`${level}|${table.name}|${column.column}`, () => rollupSql(rollupTableName(level, table), column.column), [origin, widthMs, lo, to], origin, widthMs);
        const open = this.openBuckets().get(openKey(level, table));
        const index = table.rollupColumns.indexOf(column);
        if (open && open.bucketMs >= lo && open.bucketMs < to) addOpenBucket(points, open, index, origin, widthMs);
        result.series[name] = points;
      }
    }
    return result;
  }

  private chooseLevel(from: number, outputBucketMs: number): Level {
    let index = 0;
    for (let i = LADDER.length - 1; i > 0; i--) {
      if (LEVEL_MS[LADDER[i] as RollupLevel] <= outputBucketMs) {
        index = i;
        break;
      }
    }
    while (index < LADDER.length - 1 && !this.holds(LADDER[index] as Level, from)) index++;
    return LADDER[index] as Level;
  }

  private holds(level: Level, from: number): boolean {
    const days = { raw: this.retention.raw, '1m': this.retention.minute, '1h': this.retention.hour, '1d': this.retention.day }[level];
    return days === null || from >= this.now() - days * DAY_MS;
  }

  private read(key: string, sql: () => string, params: number[], origin: number, widthMs: number): HistoryPoint[] {
    const rows = this.statement(key, sql).raw(true).all(...params) as Array<[number, number, number, number, number]>;
    return rows.map(([bucket, min, sum, max, count]) => ({ tsMs: origin + bucket * widthMs, min, avg: sum / count, max, count }));
  }

  /** Settings change rarely and are stored as changes: the value in effect at `from`, then each change. */
  private fromChangeTable(location: SeriesLocation, from: number, to: number, origin: number, widthMs: number): HistoryPoint[] {
    const { table, column } = location;
    const before = this.statement(`before|${table.name}|${column.column}`, () => `SELECT ${column.column} FROM ${table.name} WHERE ts_ms < ? AND ${column.column} IS NOT NULL ORDER BY ts_ms DESC LIMIT 1`).raw(true).get(from) as [number] | undefined;
    const rows = this.statement(`changes|${table.name}|${column.column}`, () => `SELECT ts_ms, ${column.column} FROM ${table.name} WHERE ts_ms >= ? AND ts_ms < ? AND ${column.column} IS NOT NULL ORDER BY ts_ms`).raw(true).all(from, to) as Array<[number, number]>;
    if (before) rows.unshift([from, before[0]]);
    const out: HistoryPoint[] = [];
    for (const [tsMs, value] of rows) {
      const bucketMs = origin + Math.floor((tsMs - origin) / widthMs) * widthMs;
      const last = out[out.length - 1];
      if (last && last.tsMs === bucketMs) {
        last.min = Math.min(last.min, value);
        last.max = Math.max(last.max, value);
        last.avg = (last.avg * last.count + value) / (last.count + 1);
        last.count++;
      } else {
        out.push({ tsMs: bucketMs, min: value, avg: value, max: value, count: 1 });
      }
    }
    return out;
  }

  /** Changes of an enum or text series: the value in effect at `from`, then at most `limit` changes in all. */
  private changes(series: string, from: number, to: number, limit: number): Change[] {
    const before = this.statement('enum-before', () => 'SELECT value FROM series_changes WHERE series = ? AND ts_ms < ? ORDER BY ts_ms DESC LIMIT 1').raw(true).get(series, from) as [string | null] | undefined;
    const rows = this.statement('enum-range', () => 'SELECT ts_ms, value FROM series_changes WHERE series = ? AND ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms LIMIT ?').raw(true).all(series, from, to, limit) as Array<[number, string | null]>;
    const out: Change[] = rows.map(([tsMs, value]) => ({ tsMs, value }));
    if (before && (out.length === 0 || (out[0] as Change).tsMs > from)) out.unshift({ tsMs: from, value: before[0] });
    return out.slice(0, limit);
  }

  private statement(key: string, sql: () => string): Database.Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql());
      this.statements.set(key, statement);
    }
    return statement;
  }
}

/** Merge the in-memory newest bucket into the answer (it may add to a stored part of the same bucket). */
function addOpenBucket(points: HistoryPoint[], open: OpenBucket, index: number, origin: number, widthMs: number): void {
  const count = open.summary.n[index] ?? 0;
  const min = open.summary.min[index];
  const max = open.summary.max[index];
  if (count === 0 || min === null || min === undefined || max === null || max === undefined) return;
  const sum = open.summary.sum[index] ?? 0;
  const tsMs = origin + Math.floor((open.bucketMs - origin) / widthMs) * widthMs;
  const at = points.findIndex((p) => p.tsMs >= tsMs);
  const existing = at >= 0 ? points[at] : undefined;
  if (existing && existing.tsMs === tsMs) {
    const total = existing.count + count;
    points[at] = { tsMs, min: Math.min(existing.min, min), avg: (existing.avg * existing.count + sum) / total, max: Math.max(existing.max, max), count: total };
  } else {
    points.splice(at >= 0 ? at : points.length, 0, { tsMs, min, avg: sum / count, max, count });
  }
}

const rawSql = (table: string, column: string): string =>
  `SELECT CAST((ts_ms - ?) / ? AS INTEGER) AS b, min(${column}), sum(${column}), max(${column}), count(${column})
   FROM ${table} WHERE ts_ms >= ? AND ts_ms < ? AND ${column} IS NOT NULL GROUP BY b ORDER BY b`;

const rollupSql = (table: string, column: string): string =>
  `SELECT CAST((bucket_ms - ?) / ? AS INTEGER) AS b, min(${column}_min), sum(${column}_sum), max(${column}_max), sum(${column}_n)
   FROM ${table} WHERE bucket_ms >= ? AND bucket_ms < ? AND ${column}_n > 0 GROUP BY b ORDER BY b`;

function checkQuery(query: HistoryQuery): HistoryQuery {
  const { series, from, to, points } = query;
  if (!Array.isArray(series) || series.length === 0) throw new StoreInputError('badQuery', 'history needs at least one series');
  if (series.length > MAX_SERIES) throw new StoreInputError('badQuery', `history takes at most ${MAX_SERIES} series at once`);
  for (const name of series) {
    if (typeof name !== 'string' || !isKnownSeries(name) || !locateSeries(name)) throw new StoreInputError('unknownSeries', `unknown series ${JSON.stringify(name)}`);
  }
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from >= to) throw new StoreInputError('badQuery', 'history needs integer UTC ms with from < to');
  if (!Number.isSafeInteger(points) || points < 1 || points > MAX_POINTS) throw new StoreInputError('badQuery', `points must be an integer from 1 to ${MAX_POINTS}`);
  return { series: [...new Set(series)], from, to, points };
}

/** Output bucket width: a multiple of the level's bucket, wide enough that at most `points` buckets cover [from, to). */
function buckets(level: Level, from: number, to: number, points: number): { origin: number; widthMs: number } {
  const base = level === 'raw' ? 1 : LEVEL_MS[level];
  let widthMs = Math.max(base, Math.ceil((to - from) / points / base) * base);
  let origin = Math.floor(from / widthMs) * widthMs;
  while (Math.floor((to - 1 - origin) / widthMs) + 1 > points) {
    widthMs += base;
    origin = Math.floor(from / widthMs) * widthMs;
  }
  return { origin, widthMs };
}
