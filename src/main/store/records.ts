/** Events, settings and the outbox: small tables written at once (events, settings) or with each batch (outbox). */
import type Database from 'better-sqlite3';
import type { EngineEvent, EventKind } from '../../shared/events.js';
import type { DeviceKind, FieldValue } from '../../shared/samples.js';
import { StoreInputError } from './errors.js';
import type { EventQuery, Outbox, OutboxRow } from './types.js';

const EVENT_KINDS: readonly EventKind[] = ['fault', 'warning', 'link', 'control', 'controller', 'system'];
export const DEFAULT_EVENT_LIMIT = 100;
export const MAX_EVENT_LIMIT = 10_000;

interface EventRow {
  id: number;
  ts_ms: number;
  kind: EventKind;
  device: DeviceKind | null;
  message: string;
  data: string | null;
}

export class EventLog {
  private readonly insert: Database.Statement;
  /** One statement per combination of filters. */
  private readonly selects = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare('INSERT INTO events (ts_ms, kind, device, message, data) VALUES (?, ?, ?, ?, ?)');
  }

  append(event: EngineEvent): number {
    if (!Number.isSafeInteger(event.tsMs)) throw new StoreInputError('badSample', 'event tsMs must be an integer (UTC ms)');
    if (!EVENT_KINDS.includes(event.kind)) throw new StoreInputError('badSample', `unknown event kind ${JSON.stringify(event.kind)}`);
    const data = event.data === undefined ? null : JSON.stringify(event.data);
    return Number(this.insert.run(event.tsMs, event.kind, event.device ?? null, String(event.message), data).lastInsertRowid);
  }

  /** Newest first. */
  query(query: EventQuery): Array<EngineEvent & { id: number }> {
    const limit = query.limit ?? DEFAULT_EVENT_LIMIT;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_EVENT_LIMIT) throw new StoreInputError('badQuery', `limit must be an integer from 1 to ${MAX_EVENT_LIMIT}`);
    const where: string[] = [];
    const params: Array<number | string> = [];
    if (query.from !== undefined) {
      where.push('ts_ms >= ?');
      params.push(query.from);
    }
    if (query.to !== undefined) {
      where.push('ts_ms < ?');
      params.push(query.to);
    }
    if (query.kinds && query.kinds.length > 0) {
      for (const kind of query.kinds) if (!EVENT_KINDS.includes(kind)) throw new StoreInputError('badQuery', `unknown event kind ${JSON.stringify(kind)}`);
      where.push(`kind IN (${query.kinds.map(() => '?').join(', ')})`);
      params.push(...query.kinds);
    }
    const sql = `SELECT id, ts_ms, kind, device, message, data FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts_ms DESC, id DESC LIMIT ?`;
    let select = this.selects.get(sql);
    if (!select) {
      select = this.db.prepare(sql);
      this.selects.set(sql, select);
    }
    const rows = select.all(...params, limit) as EventRow[];
    return rows.map((row) => {
      const event: EngineEvent & { id: number } = { id: row.id, tsMs: row.ts_ms, kind: row.kind, message: row.message };
      if (row.device !== null) event.device = row.device;
      if (row.data !== null) event.data = JSON.parse(row.data) as Record<string, unknown>;
      return event;
    });
  }
}

export class SettingsTable {
  private readonly select: Database.Statement;
  private readonly upsert: Database.Statement;

  constructor(db: Database.Database) {
    this.select = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  get<T>(key: string): T | undefined {
    const row = this.select.get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  put(key: string, value: unknown): void {
    const json = JSON.stringify(value);
    if (json === undefined) throw new StoreInputError('badQuery', `setting ${key}: value cannot be stored as JSON`);
    this.upsert.run(key, json);
  }
}

/** Rows leave only through acknowledge(); the count is kept in memory so backlog() costs nothing. */
export class OutboxTable implements Outbox {
  private readonly selectPending: Database.Statement;
  private readonly remove: Database.Statement;
  private count: number;

  constructor(private readonly db: Database.Database) {
    this.selectPending = db.prepare('SELECT id, device, source, ts_ms, sample_values FROM outbox ORDER BY id LIMIT ?');
    this.remove = db.prepare('DELETE FROM outbox WHERE id = ?');
    this.count = (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  }

  pending(limit: number): OutboxRow[] {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new StoreInputError('badQuery', 'outbox limit must be a positive integer');
    const rows = this.selectPending.all(limit) as Array<{ id: number; device: DeviceKind; source: string; ts_ms: number; sample_values: string }>;
    return rows.map((r) => ({ id: r.id, device: r.device, source: r.source, tsMs: r.ts_ms, values: JSON.parse(r.sample_values) as Record<string, FieldValue> }));
  }

  acknowledge(ids: number[]): void {
    let removed = 0;
    this.db.transaction(() => {
      for (const id of ids) removed += this.remove.run(id).changes;
    })();
    this.count -= removed;
  }

  backlog(): number {
    return this.count;
  }

  /** Called after a batch with outbox rows has committed. */
  added(rows: number): void {
    this.count += rows;
  }
}
