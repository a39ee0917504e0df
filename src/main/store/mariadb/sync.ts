/**
 * Store-and-forward to MariaDB: ships the local outbox in batches of idempotent upserts, acknowledges
 * rows only after COMMIT, and keeps retrying with backoff while MariaDB is down, slow or refusing us.
 * Nothing here throws into the caller or waits on the caller's thread: failures end up in `status()`.
 */
import type { Connection } from 'mysql2/promise';
import type { Outbox, OutboxRow } from '../types.js';
import type { Catalog } from './catalog.js';
import { abort, openSession } from './connect.js';
import { describeFailure, OutboxError, type Failure } from './errors.js';
import { planUpserts } from './upsert.js';
import { describeTarget, parseMariadbUrl, redactUrl, type MariadbTarget } from './url.js';

export interface SyncLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface SyncOptions {
  /** `mysql://user:password@host:port/database` */
  url: string;
  /** Names this installation in every row (several instances may share one database). */
  site: string;
  outbox: Outbox;
  /** Rows per transaction (default 500). */
  batchSize?: number;
  /** Pause between looks at the outbox when all is shipped (default 2000, at most 5000). */
  intervalMs?: number;
  /** A query that takes longer counts as a failure (default 30000). */
  queryTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Longest wait between attempts while MariaDB fails (default 60000); the first wait is 1 s (or this, if shorter). */
  maxBackoffMs?: number;
  logger?: SyncLogger;
}

export interface SyncStatus {
  /** Started and not stopped. */
  enabled: boolean;
  connected: boolean;
  /** Outbox rows not yet shipped (refreshed after every batch). */
  backlog: number;
  lastError: string | null;
  shippedRows: number;
  /** Rows MariaDB can never take (unknown device, a value it refused); acknowledged and logged. */
  rejectedRows: number;
  lastShippedAtMs: number | null;
  schemaVersion: number | null;
  /** The URL without its password. */
  target: string;
  /** When the next attempt is due after a failure. */
  retryAtMs: number | null;
}

export interface DrainResult {
  ok: boolean;
  shipped: number;
  rejected: number;
  backlog: number;
  error: string | null;
}

export interface MariadbSync {
  start(): void;
  /** Stops the loop and closes the connection; an unacknowledged batch is shipped again next time. */
  stop(): Promise<void>;
  status(): SyncStatus;
  /** Ships everything now (the loop must not be running); reports progress after every batch. */
  drain(onProgress?: (progress: { shipped: number; backlog: number }) => void): Promise<DrainResult>;
}

export const SYNC_DEFAULTS = {
  batchSize: 500,
  intervalMs: 2000,
  queryTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  maxBackoffMs: 60_000,
} as const;

const MAX_INTERVAL_MS = 5000;
const FIRST_BACKOFF_MS = 1000;
const BACKLOG_REFRESH_MS = 2000;
const PROGRESS_LOG_MS = 10_000;
const CLOSE_TIMEOUT_MS = 2000;
const SITE = /^[^\s].{0,63}$/u;

const silent: SyncLogger = { info: () => undefined, warn: () => undefined };

export function createSync(options: SyncOptions): MariadbSync {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? SYNC_DEFAULTS.batchSize));
  const intervalMs = Math.min(MAX_INTERVAL_MS, Math.max(10, options.intervalMs ?? SYNC_DEFAULTS.intervalMs));
  const queryTimeoutMs = options.queryTimeoutMs ?? SYNC_DEFAULTS.queryTimeoutMs;
  const connectTimeoutMs = options.connectTimeoutMs ?? SYNC_DEFAULTS.connectTimeoutMs;
  const maxBackoffMs = Math.max(10, options.maxBackoffMs ?? SYNC_DEFAULTS.maxBackoffMs);
  const firstBackoffMs = Math.min(FIRST_BACKOFF_MS, maxBackoffMs);
  const logger = options.logger ?? silent;
  const { outbox, site } = options;

  const parsed = parseMariadbUrl(options.url);
  const target: MariadbTarget | null = parsed.ok ? parsed.value : null;
  const targetText = target ? describeTarget(target) : redactUrl(options.url);
  const configError = !parsed.ok ? parsed.error : !SITE.test(site) ? `site name ${JSON.stringify(site)} must be 1-64 characters` : null;

  let conn: Connection | null = null;
  let catalog: Catalog | null = null;
  let schemaVersion: number | null = null;
  let running: Promise<unknown> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let started = false;
  let draining = false;
  let backoffMs = firstBackoffMs;
  let retryAtMs: number | null = null;
  let lastError: string | null = configError;
  let lastLoggedError: string | null = null;
  let shippedRows = 0;
  let rejectedRows = 0;
  let lastShippedAtMs: number | null = null;
  let backlog = safeBacklog();
  let backlogAtMs = Date.now();

  function safeBacklog(): number {
    try {
      return outbox.backlog();
    } catch {
      return 0;
    }
  }

  const query = (c: Connection, sql: string, values?: unknown[]) => c.query({ sql, values, timeout: queryTimeoutMs });

  function fromOutbox<T>(call: () => T): T {
    try {
      return call();
    } catch (err) {
      throw new OutboxError(err);
    }
  }

  function dropConnection(): void {
    if (conn) abort(conn);
    conn = null;
    catalog = null;
  }

  async function ensureSession(): Promise<{ conn: Connection; catalog: Catalog }> {
    if (conn && catalog) return { conn, catalog };
    if (!target) throw new Error(configError ?? 'no MariaDB target');
    const session = await openSession(target, { connectTimeoutMs });
    if (!started && !draining) {
      abort(session.conn);
      throw new Error('stopped');
    }
    conn = session.conn;
    catalog = session.catalog;
    schemaVersion = session.migration.to;
    const own = session.conn;
    own.on('error', (err: unknown) => {
      if (conn !== own) return;
      lastError = describeFailure(err, targetText).message;
      dropConnection();
    });
    if (session.migration.applied.length > 0) {
      logger.info(`MariaDB ${targetText}: schema migrated from version ${session.migration.from} to ${session.migration.to}`);
    }
    logger.info(`MariaDB ${targetText}: connected, ${backlog} rows to ship`);
    return session;
  }

  /** One transaction; throws when it did not commit. */
  async function commitRows(c: Connection, cat: Catalog, rows: OutboxRow[]): Promise<number[]> {
    const plan = planUpserts(rows, site, cat);
    for (const r of plan.rejected) logger.warn(`MariaDB sync: outbox row ${r.id} cannot be shipped: ${r.reason}`);
    if (plan.statements.length > 0) {
      await query(c, 'START TRANSACTION');
      try {
        for (const statement of plan.statements) await query(c, statement.sql, statement.params);
        await query(c, 'COMMIT');
      } catch (err) {
        // After a lost or timed-out connection there is nothing to roll back (the server does it) and
        // mysql2 would never answer another query on it.
        if (describeFailure(err, targetText).fatal) abort(c);
        else await query(c, 'ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
    return plan.rejected.map((r) => r.id);
  }

  /** After MariaDB refused a value: ship row by row and set aside only the rows it refuses. */
  async function commitOneByOne(c: Connection, cat: Catalog, rows: OutboxRow[]): Promise<number[]> {
    const refused: number[] = [];
    for (const row of rows) {
      try {
        refused.push(...(await commitRows(c, cat, [row])));
      } catch (err) {
        const failure = describeFailure(err, targetText);
        if (failure.kind !== 'data') throw err;
        logger.warn(`MariaDB sync: outbox row ${row.id} refused: ${failure.message}`);
        refused.push(row.id);
      }
    }
    return refused;
  }

  async function shipBatch(rows: OutboxRow[]): Promise<void> {
    const session = await ensureSession();
    let refused: number[];
    try {
      refused = await commitRows(session.conn, session.catalog, rows);
    } catch (err) {
      if (describeFailure(err, targetText).kind !== 'data') throw err;
      refused = await commitOneByOne(session.conn, session.catalog, rows);
    }
    // Only now is the batch in MariaDB for sure; a crash before this line ships it again, harmlessly.
    fromOutbox(() => outbox.acknowledge(rows.map((r) => r.id)));
    shippedRows += rows.length - refused.length;
    rejectedRows += refused.length;
    lastShippedAtMs = Date.now();
  }

  function refreshBacklog(shipped: number): void {
    const now = Date.now();
    if (now - backlogAtMs >= BACKLOG_REFRESH_MS) {
      backlog = safeBacklog();
      backlogAtMs = now;
    } else {
      backlog = Math.max(0, backlog - shipped);
    }
  }

  /** Ships until the outbox is empty or something fails; true when empty. */
  async function shipAll(onProgress?: (p: { shipped: number; backlog: number }) => void): Promise<boolean> {
    let shippedNow = 0;
    let loggedAt = Date.now();
    try {
      await ensureSession();
      for (;;) {
        if (!started && !draining) return true;
        const rows = fromOutbox(() => outbox.pending(batchSize));
        if (rows.length === 0) break;
        await shipBatch(rows);
        shippedNow += rows.length;
        refreshBacklog(rows.length);
        onProgress?.({ shipped: shippedNow, backlog });
        if (Date.now() - loggedAt >= PROGRESS_LOG_MS) {
          loggedAt = Date.now();
          logger.info(`MariaDB sync: catching up, ${shippedNow} rows shipped, about ${backlog} left`);
        }
      }
      backlog = safeBacklog();
      backlogAtMs = Date.now();
      if (lastError !== null && lastLoggedError !== null) logger.info(`MariaDB ${targetText}: shipping again`);
      lastError = null;
      lastLoggedError = null;
      backoffMs = firstBackoffMs;
      retryAtMs = null;
      return true;
    } catch (err) {
      // After stop() the failure is our own doing (the connection was closed under the batch).
      if (started || draining) noteFailure(describeFailure(err, targetText));
      return false;
    }
  }

  function noteFailure(failure: Failure): void {
    dropConnection();
    lastError = failure.message;
    backlog = safeBacklog();
    if (failure.message !== lastLoggedError) {
      lastLoggedError = failure.message;
      logger.warn(`MariaDB sync: ${failure.message}; ${backlog} rows wait in the outbox, retrying`);
    }
  }

  function schedule(delayMs: number): void {
    if (!started) return;
    timer = setTimeout(() => {
      timer = null;
      running = tick().finally(() => (running = null));
    }, delayMs);
    timer.unref();
  }

  async function tick(): Promise<void> {
    const ok = await shipAll();
    if (ok) {
      schedule(intervalMs);
      return;
    }
    retryAtMs = Date.now() + backoffMs;
    schedule(backoffMs);
    backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
  }

  async function closeConnection(): Promise<void> {
    const c = conn;
    conn = null;
    catalog = null;
    if (!c) return;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      c.end().catch(() => undefined),
      new Promise<void>((resolve) => (timeout = setTimeout(resolve, CLOSE_TIMEOUT_MS))),
    ]);
    clearTimeout(timeout);
    abort(c);
  }

  return {
    start() {
      if (started || configError) return;
      started = true;
      schedule(0);
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      // A batch in flight is abandoned: it was not acknowledged, so it is shipped again next time.
      if (running) {
        dropConnection();
        let timeout: NodeJS.Timeout | undefined;
        await Promise.race([running, new Promise<void>((resolve) => (timeout = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
        clearTimeout(timeout);
      }
      await closeConnection();
    },
    status() {
      return {
        enabled: started,
        connected: conn !== null && catalog !== null,
        backlog,
        lastError,
        shippedRows,
        rejectedRows,
        lastShippedAtMs,
        schemaVersion,
        target: targetText,
        retryAtMs,
      };
    },
    async drain(onProgress) {
      if (configError) return { ok: false, shipped: 0, rejected: 0, backlog, error: configError };
      if (started || draining) return { ok: false, shipped: 0, rejected: 0, backlog, error: 'the sync loop is running' };
      draining = true;
      const before = { shipped: shippedRows, rejected: rejectedRows };
      try {
        const ok = await shipAll(onProgress);
        return {
          ok,
          shipped: shippedRows - before.shipped,
          rejected: rejectedRows - before.rejected,
          backlog,
          error: ok ? null : lastError,
        };
      } finally {
        draining = false;
      }
    },
  };
}
