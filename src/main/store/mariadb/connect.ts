/** Opening a MariaDB connection for voltmon: UTC session, database created on first use, schema migrated. */
import mysql, { type Connection } from 'mysql2/promise';
import { loadCatalog, type Catalog } from './catalog.js';
import { applyMigrations, type MigrationResult } from './migrations.js';
import type { MariadbTarget } from './url.js';

export interface ConnectOptions {
  connectTimeoutMs: number;
}

export async function connect(target: MariadbTarget, options: ConnectOptions, withDatabase = true): Promise<Connection> {
  const conn = await mysql.createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: withDatabase ? target.database : undefined,
    connectTimeout: options.connectTimeoutMs,
    charset: 'utf8mb4',
    dateStrings: true,
    supportBigNumbers: true,
  });
  // A connection that dies while idle emits 'error'; unhandled, that would end the process. The next
  // query fails with the same error and is handled there.
  conn.on('error', () => undefined);
  await conn.query("SET time_zone = '+00:00'");
  return conn;
}

/** Connects; when the database does not exist yet, creates it (needs the CREATE privilege) and connects again. */
export async function connectCreatingDatabase(target: MariadbTarget, options: ConnectOptions): Promise<Connection> {
  try {
    return await connect(target, options);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ER_BAD_DB_ERROR') throw err;
    const bare = await connect(target, options, false);
    try {
      await bare.query(`CREATE DATABASE IF NOT EXISTS \`${target.database.replace(/`/g, '``')}\` CHARACTER SET utf8mb4`);
    } finally {
      await bare.end().catch(() => bare.destroy());
    }
    return connect(target, options);
  }
}

/**
 * Closes the socket at once, so pending queries fail (PROTOCOL_CONNECTION_LOST) instead of waiting:
 * mysql2's destroy() only half-closes, and a query stuck behind a silent server would never settle.
 */
export function abort(conn: Connection): void {
  const stream = (conn as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  if (stream) stream.destroy();
  else conn.destroy();
}

export interface Session {
  conn: Connection;
  catalog: Catalog;
  migration: MigrationResult;
}

/** A connection whose database holds the newest schema, with the column catalogue read. */
export async function openSession(target: MariadbTarget, options: ConnectOptions): Promise<Session> {
  const conn = await connectCreatingDatabase(target, options);
  try {
    const migration = await applyMigrations(conn);
    const loaded = await loadCatalog(conn);
    if (!loaded.ok) throw new Error(`the MariaDB schema is incomplete: ${loaded.error}`);
    return { conn, catalog: loaded.catalog, migration };
  } catch (err) {
    abort(conn);
    throw err;
  }
}
