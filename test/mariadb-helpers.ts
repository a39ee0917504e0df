/**
 * Shared by the MariaDB integration tests: a throw-away database on the real server (127.0.0.1:3306,
 * root without password), an in-memory outbox, and a TCP proxy that can cut or hold a connection at
 * its COMMIT. Nothing here skips: without MariaDB, `createTestDatabase` throws and the test fails.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import mysql, { type Connection } from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import type { Outbox, OutboxRow } from '../src/main/store/types.js';
import type { DeviceKind, FieldValue } from '../src/shared/samples.js';

export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

export interface TestDatabase {
  name: string;
  /** URL through MariaDB's own port, or through `port` (a proxy). */
  url(port?: number): string;
  admin: Connection;
  count(table: string): Promise<number>;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'voltmon_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({ ...MARIADB, dateStrings: true });
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.query(`USE \`${name}\``);
  return {
    name,
    url: (port = MARIADB.port) => `mysql://${MARIADB.user}@${MARIADB.host}:${port}/${name}`,
    admin,
    async count(table) {
      const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM \`${table}\``);
      return Number((rows as Array<{ n: number }>)[0]?.n);
    },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

/**
 * Set-up shared by the tests of a block that every test awaits: when it fails (no MariaDB), each test
 * fails with its error instead of being reported as skipped.
 */
export function sharedSetup<T>(build: () => Promise<T>, teardown: (value: T) => Promise<void>): () => Promise<T> {
  let ready: Promise<T> | null = null;
  beforeAll(() => {
    ready = build();
    ready.catch(() => undefined);
  });
  afterAll(async () => {
    const value = await ready?.catch(() => null);
    if (value) await teardown(value);
  });
  return () => ready ?? Promise.reject(new Error('the shared set-up has not started'));
}

/** The outbox contract in memory: rows leave only when acknowledged. */
export class MemoryOutbox implements Outbox {
  private rows = new Map<number, OutboxRow>();
  private nextId = 1;
  readonly acknowledged: number[] = [];

  add(device: DeviceKind, source: string, tsMs: number, values: Record<string, FieldValue>): OutboxRow {
    const row = { id: this.nextId++, device, source, tsMs, values };
    this.rows.set(row.id, row);
    return row;
  }

  pending(limit: number): OutboxRow[] {
    return [...this.rows.values()].slice(0, limit);
  }

  acknowledge(ids: number[]): void {
    for (const id of ids) if (this.rows.delete(id)) this.acknowledged.push(id);
  }

  backlog(): number {
    return this.rows.size;
  }
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export type ProxyMode =
  /** Pass everything. */
  | 'pass'
  /** Drop the connection instead of forwarding the next COMMIT (the server rolls back), then pass. */
  | 'cutBeforeCommit'
  /** Forward the next COMMIT, then drop the client before the server's OK reaches it (committed but
   * unconfirmed), then pass. */
  | 'cutAfterCommit'
  /** Hold every COMMIT until `release()`. */
  | 'holdCommit';

/** A TCP proxy in front of MariaDB that understands just enough of the protocol to spot a COMMIT. */
export class CommitProxy {
  mode: ProxyMode = 'pass';
  commitsSeen = 0;
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  private held: Array<() => void> = [];
  port = 0;

  async listen(port = 0): Promise<number> {
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Stop listening and drop every connection: the port now refuses. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  release(): void {
    const held = this.held;
    this.held = [];
    held.forEach((go) => go());
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(MARIADB.port, MARIADB.host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', () => this.sockets.delete(client));
    upstream.on('close', () => this.sockets.delete(upstream));
    let clientGone = false;
    upstream.on('data', (chunk) => {
      if (!clientGone) client.write(chunk);
    });
    upstream.on('end', () => client.end());
    client.on('end', () => upstream.end());
    client.on('data', (chunk: Buffer) => {
      if (!isCommit(chunk) || this.mode === 'pass') {
        if (isCommit(chunk)) this.commitsSeen++;
        upstream.write(chunk);
        return;
      }
      this.commitsSeen++;
      if (this.mode === 'cutBeforeCommit') {
        this.mode = 'pass';
        drop();
      } else if (this.mode === 'cutAfterCommit') {
        this.mode = 'pass';
        clientGone = true;
        client.destroy();
        upstream.write(chunk);
        // Let the server run the COMMIT before it sees the connection go.
        setTimeout(() => upstream.destroy(), 300);
      } else {
        client.pause();
        this.held.push(() => {
          upstream.write(chunk);
          client.resume();
        });
      }
    });
  }
}

/** A client packet holding COM_QUERY (0x03) with the text COMMIT. */
function isCommit(chunk: Buffer): boolean {
  return chunk.length >= 11 && chunk[4] === 0x03 && chunk.subarray(5, 11).toString('latin1').toUpperCase() === 'COMMIT';
}

/** ids of MariaDB sessions connected to `database`, other than `admin`'s own. */
export async function sessionsOn(admin: Connection, database: string): Promise<number[]> {
  const [rows] = await admin.query(
    "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID() AND COMMAND <> 'Killed'",
    [database],
  );
  return (rows as Array<{ id: number }>).map((r) => Number(r.id));
}
