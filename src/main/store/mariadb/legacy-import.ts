/**
 * `voltmon import-legacy`: reads the original installation's tables (created + varN) from MariaDB and
 * appends them to the local store as samples, oldest first, table by table. The store keeps one row
 * per device table and timestamp, and after every chunk the importer records (in the store's settings)
 * how far each table got: a second run, or a run after an interruption, only appends newer rows.
 */
import type { Connection } from 'mysql2/promise';
import type { Result } from '../../../shared/result.js';
import type { LocalStore } from '../types.js';
import { ZoneClock, isValidTimeZone } from '../zone.js';
import { connect } from './connect.js';
import { LEGACY_TABLES, LEGACY_VAR_COUNT, legacyRowToSample, type LegacyTableName } from './legacy-map.js';
import { describeTarget, parseMariadbUrl, type MariadbTarget } from './url.js';

export interface LegacyImportOptions {
  /** `mysql://user:password@host:port/axpert` */
  url: string;
  store: Pick<LocalStore, 'append' | 'flush' | 'getSetting' | 'putSetting'>;
  /** Zone of `created` when it is a DATETIME (a TIMESTAMP column knows its instant); default UTC. */
  timeZone?: string;
  tables?: readonly LegacyTableName[];
  /** Rows between commits and checkpoints (default 5000). */
  chunkRows?: number;
  connectTimeoutMs?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  table: LegacyTableName;
  /** Rows read so far of this table, and how many it has. */
  read: number;
  total: number;
}

export interface TableReport {
  table: LegacyTableName;
  found: boolean;
  rows: number;
  imported: number;
  /** Rows at or before the checkpoint of an earlier run. */
  alreadyImported: number;
  refused: number;
  /** Why the first refused row was refused. */
  firstRefusal: string | null;
}

const DEFAULT_CHUNK_ROWS = 5000;
const PROGRESS_EVERY_ROWS = 1000;

const checkpointKey = (target: MariadbTarget, table: LegacyTableName): string =>
  `importLegacy:${target.host}:${target.port}/${target.database}/${table}`;

export async function importLegacy(options: LegacyImportOptions): Promise<Result<TableReport[], string>> {
  const parsed = parseMariadbUrl(options.url);
  if (!parsed.ok) return parsed;
  const timeZone = options.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) return { ok: false, error: `unknown time zone ${JSON.stringify(timeZone)}` };
  const target = parsed.value;
  let conn: Connection;
  try {
    conn = await connect(target, { connectTimeoutMs: options.connectTimeoutMs ?? 10_000 });
  } catch (err) {
    return { ok: false, error: `cannot open ${describeTarget(target)}: ${(err as Error).message.split('\n')[0]}` };
  }
  try {
    const reports: TableReport[] = [];
    const present = await legacyColumns(conn);
    for (const table of options.tables ?? LEGACY_TABLES) {
      const columns = present.get(table);
      reports.push(
        columns
          ? await importTable(conn, table, columns, target, new ZoneClock(timeZone), options)
          : { table, found: false, rows: 0, imported: 0, alreadyImported: 0, refused: 0, firstRefusal: null },
      );
    }
    return { ok: true, value: reports };
  } catch (err) {
    return { ok: false, error: `reading ${describeTarget(target)} failed: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

interface TableColumns {
  /** The table's name as MariaDB spells it. */
  name: string;
  createdIsTimestamp: boolean;
  vars: number[];
}

/** Which legacy tables exist (names matched without regard to case) and which varN columns they have. */
async function legacyColumns(conn: Connection): Promise<Map<LegacyTableName, TableColumns>> {
  const [rows] = await conn.query(
    'SELECT TABLE_NAME AS t, COLUMN_NAME AS c, DATA_TYPE AS d FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()',
  );
  const out = new Map<LegacyTableName, TableColumns>();
  for (const row of rows as Array<{ t: string; c: string; d: string }>) {
    const table = LEGACY_TABLES.find((t) => t === row.t.toUpperCase());
    if (!table) continue;
    const entry = out.get(table) ?? { name: row.t, createdIsTimestamp: false, vars: [] };
    const column = row.c.toLowerCase();
    const n = /^var(\d+)$/.exec(column)?.[1];
    if (column === 'created') entry.createdIsTimestamp = row.d.toLowerCase() === 'timestamp';
    else if (n && Number(n) <= LEGACY_VAR_COUNT[table]) entry.vars.push(Number(n));
    out.set(table, entry);
  }
  for (const [table, entry] of out) if (entry.vars.length === 0) out.delete(table);
  return out;
}

async function importTable(
  conn: Connection,
  table: LegacyTableName,
  columns: TableColumns,
  target: MariadbTarget,
  zone: ZoneClock,
  options: LegacyImportOptions,
): Promise<TableReport> {
  const report: TableReport = { table, found: true, rows: 0, imported: 0, alreadyImported: 0, refused: 0, firstRefusal: null };
  const quoted = `\`${columns.name.replace(/`/g, '``')}\``;
  const [countRows] = await conn.query(`SELECT COUNT(*) AS n FROM ${quoted} WHERE created IS NOT NULL`);
  report.rows = Number((countRows as Array<{ n: number }>)[0]?.n ?? 0);
  const key = checkpointKey(target, table);
  const checkpoint = options.store.getSetting<number>(key) ?? Number.NEGATIVE_INFINITY;
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const vars = columns.vars.sort((a, b) => a - b).map((n) => `var${n}`);
  // The session runs in UTC: UNIX_TIMESTAMP of a TIMESTAMP is its instant, DATE_FORMAT of a DATETIME its wall time.
  const sql = `SELECT UNIX_TIMESTAMP(created) AS epoch, DATE_FORMAT(created, '%Y-%m-%d %H:%i:%s') AS wall, ${vars.join(', ')}
                 FROM ${quoted} WHERE created IS NOT NULL ORDER BY created`;
  const timeOf = (row: { epoch: unknown; wall: unknown }): number =>
    columns.createdIsTimestamp || zone.timeZone === 'UTC' ? Math.round(Number(row.epoch) * 1000) : wallToUtc(String(row.wall), zone);

  let read = 0;
  let sinceCheckpoint = 0;
  let lastTsMs: number | null = null;
  const commit = () => {
    options.store.flush();
    if (lastTsMs !== null) options.store.putSetting(key, lastTsMs);
    sinceCheckpoint = 0;
  };
  const stream = (conn as unknown as { connection: { query(sql: string): { stream(): AsyncIterable<Record<string, unknown>> } } }).connection
    .query(sql)
    .stream();
  for await (const row of stream) {
    read++;
    const tsMs = timeOf(row as { epoch: unknown; wall: unknown });
    if (tsMs <= checkpoint) {
      report.alreadyImported++;
    } else {
      const sample = legacyRowToSample(table, tsMs, row);
      const refusal = sample.ok ? append(options.store, sample.value) : sample.error;
      if (refusal === null) {
        report.imported++;
        lastTsMs = tsMs;
        if (++sinceCheckpoint >= chunkRows) commit();
      } else {
        report.refused++;
        report.firstRefusal ??= `row created ${String(row.wall)}: ${refusal}`;
      }
    }
    if (read % PROGRESS_EVERY_ROWS === 0) options.onProgress?.({ table, read, total: report.rows });
  }
  commit();
  options.onProgress?.({ table, read, total: report.rows });
  return report;
}

/** Appends; the store's refusal (a value of the wrong kind) comes back as text. */
function append(store: LegacyImportOptions['store'], sample: Parameters<LocalStore['append']>[0]): string | null {
  try {
    store.append(sample);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** `2024-03-31 02:30:00` in `zone` to UTC ms (a time skipped by DST maps to just after the jump). */
export function wallToUtc(wall: string, zone: ZoneClock): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(wall);
  if (!m) return Number.NaN;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return zone.utcOf(year, month, day, hour) + (minute * 60 + second) * 1000;
}
