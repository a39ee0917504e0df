/**
 * History: the coarsest level that still gives at least half the requested points (raw rows only for
 * ranges up to 6 hours), among the levels that still hold `from` under retention; then min/avg/max/count
 * per output bucket, so a one-sample spike survives in `max`. Output buckets are multiples of the level's
 * bucket, aligned to the epoch so a scrolling chart keeps its buckets, and never more than `points`.
 */
import type Database from 'better-sqlite3';
import type { HistoryPoint, HistoryResponse } from '../../shared/api.js';
import type { FieldValue } from '../../shared/samples.js';
import { isKnownSeries } from '../../shared/series.js';
import { StoreInputError } from './errors.js';
import { LEVEL_MS, rollupTable, type Aggregate, type RollupLevel, type Rollups } from './rollup.js';
import { locateSeries, type SeriesLocation } from './tables.js';
import type { HistoryQuery, RetentionDays } from './types.js';

type Level = HistoryResponse['level'];
/** Finest first. */
const LADDER: readonly Level[] = ['raw', '1m', '1h', '1d'];
const DAY_MS = 86_400_000;
export const MAX_POINTS = 10_000;
export const MAX_SERIES = 64;
/** Raw rows are read for ranges up to this long; beyond, 1-minute buckets are enough for any screen. */
export const RAW_MAX_RANGE_MS = 6 * 3_600_000;

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
    /** Rollup ids and the buckets still in memory (see rollup.ts). */
    private readonly rollups: Rollups,
  ) {}

  query(query: HistoryQuery): HistoryResponse {
    const { series, from, to, points } = checkQuery(query);
    const level = this.chooseLevel(from, to, points);
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
        const id = this.rollups.ids.get(name) as number;
        const points = this.read(`level|${level}`, () => rollupSql(rollupTable(level)), [origin, widthMs, id, lo, to], origin, widthMs);
        addPending(points, this.rollups.pending.range(level, id, lo, to), origin, widthMs);
        result.series[name] = points;
      }
    }
    return result;
  }

  private chooseLevel(from: number, to: number, points: number): Level {
    const range = to - from;
    let index = LADDER.findLastIndex((level) => level !== 'raw' && range / LEVEL_MS[level as RollupLevel] >= points / 2);
    if (index < 0) index = range <= RAW_MAX_RANGE_MS ? 0 : 1;
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

/** Merge the buckets still in memory into the answer (a bucket may also have a stored part). */
function addPending(points: HistoryPoint[], pending: Array<{ bucketMs: number; aggregate: Aggregate }>, origin: number, widthMs: number): void {
  if (pending.length === 0) return;
  const byStart = new Map(points.map((p) => [p.tsMs, p]));
  for (const { bucketMs, aggregate: a } of pending) {
    const tsMs = origin + Math.floor((bucketMs - origin) / widthMs) * widthMs;
    const existing = byStart.get(tsMs);
    if (existing) {
      const count = existing.count + a.n;
      byStart.set(tsMs, { tsMs, min: Math.min(existing.min, a.min), avg: (existing.avg * existing.count + a.sum) / count, max: Math.max(existing.max, a.max), count });
    } else {
      byStart.set(tsMs, { tsMs, min: a.min, avg: a.sum / a.n, max: a.max, count: a.n });
    }
  }
  points.splice(0, points.length, ...[...byStart.values()].sort((x, y) => x.tsMs - y.tsMs));
}

const rawSql = (table: string, column: string): string =>
  `SELECT CAST((ts_ms - ?) / ? AS INTEGER) AS b, min(${column}), sum(${column}), max(${column}), count(${column})
   FROM ${table} WHERE ts_ms >= ? AND ts_ms < ? AND ${column} IS NOT NULL GROUP BY b ORDER BY b`;

const rollupSql = (table: string): string =>
  `SELECT CAST((bucket_ms - ?) / ? AS INTEGER) AS b, min(min), total(sum), max(max), total(n)
   FROM ${table} WHERE series_id = ? AND bucket_ms >= ? AND bucket_ms < ? GROUP BY b ORDER BY b`;

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
