/**
 * The MariaDB schema as numbered SQL files in `sql/migrations/` (`NNN_name.sql`), applied in order and
 * recorded in `schema_migrations`. A line `-- @include <path>` pulls in another file (the legacy views
 * in `sql/legacy/`). Statements end with `;` at the end of a line. Every statement is written to be
 * re-runnable (IF NOT EXISTS, CREATE OR REPLACE), because MariaDB commits DDL one statement at a time:
 * a migration interrupted half-way is simply run again.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Connection, Pool, PoolConnection } from 'mysql2/promise';
import { packageInfo } from '../../engine/package-info.js';

/**
 * `sql/` at the package root (found from src/, dist/ or the bundled dist/voltmon/), or in the packaged
 * desktop app's resources, where electron-builder puts it (`extraResources`).
 */
export const SQL_DIR = findSqlDir();

function findSqlDir(): string {
  const packageRoot = join(packageInfo().root, 'sql');
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [packageRoot, ...(resources ? [join(resources, 'sql')] : [])];
  return candidates.find((dir) => existsSync(join(dir, 'migrations'))) ?? packageRoot;
}

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export class SchemaTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly programVersion: number,
  ) {
    super(
      `the MariaDB schema is at version ${databaseVersion}, newer than this voltmon knows (${programVersion}): ` +
        'upgrade voltmon on this machine, or point it at another database',
    );
    this.name = 'SchemaTooNewError';
  }
}

const FILE_NAME = /^(\d{3,})_([A-Za-z0-9_-]+)\.sql$/;
const INCLUDE = /^--\s*@include\s+(\S+)\s*$/gm;
const LOCK_NAME = 'voltmon_schema_migrations';
const LOCK_WAIT_S = 60;

export function loadMigrations(dir: string = join(SQL_DIR, 'migrations')): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const match = FILE_NAME.exec(file);
      if (!match) throw new Error(`${join(dir, file)}: expected a name like 001_what_it_does.sql`);
      const text = expandIncludes(join(dir, file), new Set());
      return { version: Number(match[1]), name: match[2] ?? file, statements: splitStatements(text) };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (i > 0 && migrations[i - 1]?.version === m.version) throw new Error(`two migrations have version ${m.version} in ${dir}`);
  });
  return migrations;
}

function expandIncludes(path: string, seen: Set<string>): string {
  if (seen.has(path)) throw new Error(`${path} includes itself`);
  const text = readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
  return text.replace(INCLUDE, (_line, target: string) => expandIncludes(join(dirname(path), target), new Set([...seen, path])));
}

/** Statements separated by `;` at the end of a line; chunks holding only comments are dropped. */
export function splitStatements(text: string): string[] {
  return text
    .split(/;[ \t]*$/m)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--')));
}

export interface MigrationResult {
  /** Schema version before and after. */
  from: number;
  to: number;
  applied: number[];
}

type Queryable = Pool | Connection;

/** Brings the database to the newest schema this program knows; refuses a database that is newer. */
export async function applyMigrations(db: Queryable, migrations: Migration[] = loadMigrations()): Promise<MigrationResult> {
  const isPool = 'getConnection' in db && typeof db.getConnection === 'function';
  const conn: Connection = isPool ? await (db as Pool).getConnection() : (db as Connection);
  try {
    const [locked] = await conn.query('SELECT GET_LOCK(?, ?) AS got', [LOCK_NAME, LOCK_WAIT_S]);
    if ((locked as Array<{ got: number | null }>)[0]?.got !== 1) {
      throw new Error(`another voltmon held the schema lock for ${LOCK_WAIT_S} s; try again`);
    }
    try {
      return await migrateLocked(conn, migrations);
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    if (isPool) (conn as PoolConnection).release();
  }
}

async function migrateLocked(conn: Connection, migrations: Migration[]): Promise<MigrationResult> {
  const latest = migrations.at(-1)?.version ?? 0;
  const [exists] = await conn.query(
    "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'schema_migrations'",
  );
  if (Number((exists as Array<{ n: number }>)[0]?.n) === 0) {
    await conn.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INT NOT NULL PRIMARY KEY,
         name VARCHAR(255) NOT NULL,
         applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
       ) ENGINE=InnoDB`,
    );
  }
  const [rows] = await conn.query('SELECT version FROM schema_migrations');
  const done = new Set((rows as Array<{ version: number }>).map((r) => Number(r.version)));
  const from = Math.max(0, ...done);
  if (from > latest) throw new SchemaTooNewError(from, latest);
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.statements) await conn.query(statement);
    await conn.query('INSERT INTO schema_migrations (version, name) VALUES (?, ?)', [migration.version, migration.name]);
    applied.push(migration.version);
  }
  return { from, to: Math.max(from, ...applied), applied };
}

/** The version recorded in the database (0 when it was never migrated). */
export async function schemaVersion(db: Queryable): Promise<number> {
  const [exists] = await db.query(
    "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'schema_migrations'",
  );
  if (Number((exists as Array<{ n: number }>)[0]?.n) === 0) return 0;
  const [rows] = await db.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
  return Number((rows as Array<{ v: number }>)[0]?.v ?? 0);
}
