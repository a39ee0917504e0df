/**
 * Opening the file safely and bringing its schema up to date. A file that is not ours is never written:
 * the header and identity are checked with reads only, before any pragma that could change the file.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ROLLUP_LEVELS, rollupTable } from './rollup.js';
import { StoreOpenError, sqliteCode } from './errors.js';
import { TABLES, sqlType, type TableDef } from './tables.js';

/** `PRAGMA application_id` of every voltmon store ("VoLT"). */
export const APPLICATION_ID = 0x566f4c54;
/** The structural version this program writes. Columns that follow the series catalogue are added without a bump. */
export const SCHEMA_VERSION = 1;

type Db = Database.Database;

/** Structural migrations, applied in order inside one transaction; index i brings version i to i + 1. */
const MIGRATIONS: ReadonlyArray<(db: Db) => void> = [
  (db) => {
    db.exec(`
      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        device TEXT,
        message TEXT NOT NULL,
        data TEXT
      );
      CREATE INDEX events_ts ON events (ts_ms);
      CREATE INDEX events_kind_ts ON events (kind, ts_ms);
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        device TEXT NOT NULL,
        source TEXT NOT NULL,
        ts_ms INTEGER NOT NULL,
        sample_values TEXT NOT NULL
      );
      CREATE TABLE series_changes (
        series TEXT NOT NULL,
        ts_ms INTEGER NOT NULL,
        value TEXT,
        PRIMARY KEY (series, ts_ms)
      ) WITHOUT ROWID;
      CREATE TABLE rollup_series (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE rollup_watermark (level TEXT PRIMARY KEY, bucket_ms INTEGER NOT NULL) WITHOUT ROWID;
      ${ROLLUP_LEVELS.map(
        (level) => `CREATE TABLE ${rollupTable(level)} (
          series_id INTEGER NOT NULL,
          bucket_ms INTEGER NOT NULL,
          min REAL NOT NULL,
          max REAL NOT NULL,
          sum REAL NOT NULL,
          n INTEGER NOT NULL,
          PRIMARY KEY (series_id, bucket_ms)
        ) WITHOUT ROWID;`,
      ).join('\n')}
      CREATE TABLE energy_hour (
        hour_start_ms INTEGER PRIMARY KEY,
        pv_produced_wh REAL NOT NULL DEFAULT 0,
        load_consumed_wh REAL NOT NULL DEFAULT 0,
        grid_imported_wh REAL NOT NULL DEFAULT 0,
        grid_exported_wh REAL NOT NULL DEFAULT 0,
        battery_charged_wh REAL NOT NULL DEFAULT 0,
        battery_discharged_wh REAL NOT NULL DEFAULT 0
      );
    `);
  },
];

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Refuse, without opening it as a database, a non-empty file that does not start with the SQLite header. */
function checkHeader(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return; // absent: SQLite creates it
  }
  if (size === 0) return;
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) {
    throw new StoreOpenError('notSqlite', `${path} is not an SQLite database (voltmon left it untouched): move it away or set another store path`);
  }
}

function identify(db: Db, path: string): 'new' | { version: number } {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const objects = (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n;
  if (appId === 0 && objects === 0) return 'new';
  const hasVersionTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get() !== undefined;
  if (appId !== APPLICATION_ID || !hasVersionTable) {
    throw new StoreOpenError('foreign', `${path} is an SQLite database that voltmon did not create (voltmon left it untouched): set another store path`);
  }
  const row = db.prepare('SELECT max(version) AS version FROM schema_version').get() as { version: number | null };
  return { version: row.version ?? 0 };
}

/** Open (creating when absent) and migrate. Throws StoreOpenError with the file untouched when it is not ours or too new. */
export function openDatabase(path: string, maxFileBytes?: number): Db {
  if (path !== ':memory:') checkHeader(path);
  let db: Db;
  try {
    db = new Database(path);
  } catch (err) {
    throw new StoreOpenError('openFailed', `cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const found = identify(db, path);
    if (found !== 'new' && found.version > SCHEMA_VERSION) {
      throw new StoreOpenError(
        'schemaTooNew',
        `${path} has schema version ${found.version}, written by a newer voltmon; this one understands up to ${SCHEMA_VERSION}. Upgrade voltmon (the file was left untouched)`,
      );
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // SQLite's default 2 MiB page cache fills up over days and stays resident; batches touch a few dozen
    // pages and history reads hit the OS page cache, so 1 MiB keeps the daemon small at no visible cost.
    db.pragma('cache_size = -1024');
    db.transaction(() => migrate(db, found === 'new' ? 0 : found.version, found === 'new'))();
    if (maxFileBytes !== undefined) {
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      db.pragma(`max_page_count = ${Math.max(1, Math.floor(maxFileBytes / pageSize))}`);
    }
    return db;
  } catch (err) {
    db.close();
    if (err instanceof StoreOpenError) throw err;
    const code = sqliteCode(err);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StoreOpenError('notSqlite', `${path} is damaged or not an SQLite database (${code}); voltmon left it untouched`, { cause: err });
    }
    throw new StoreOpenError('openFailed', `cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function migrate(db: Db, from: number, fresh: boolean): void {
  if (fresh) {
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL, applied_ms INTEGER NOT NULL)');
  }
  for (let version = from; version < SCHEMA_VERSION; version++) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from schema version ${version}`);
    step(db);
    db.prepare('INSERT INTO schema_version (version, applied_ms) VALUES (?, ?)').run(version + 1, Date.now());
  }
  for (const table of TABLES) syncDeviceTables(db, table);
}

/** Create the device table, or add the columns the catalogue gained since it was created. */
function syncDeviceTables(db: Db, table: TableDef): void {
  const columns = table.columns.map((c) => `${c.column} ${sqlType(c.kind)}`);
  if (table.keepExtra) columns.push('extra TEXT');
  ensureTable(db, table.name, 'ts_ms INTEGER PRIMARY KEY', columns);
}

function ensureTable(db: Db, name: string, key: string, columns: string[]): void {
  const existing = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as Array<{ name: string }>;
  if (existing.length === 0) {
    db.exec(`CREATE TABLE ${name} (${[key, ...columns].join(', ')})`);
    return;
  }
  const have = new Set(existing.map((c) => c.name));
  for (const column of columns) {
    const columnName = column.split(' ')[0] ?? '';
    if (!have.has(columnName)) db.exec(`ALTER TABLE ${name} ADD COLUMN ${column}`);
  }
}
