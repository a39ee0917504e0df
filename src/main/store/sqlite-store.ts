/** The local store: SQLite in WAL mode, one writer, batched commits. See docs/storage.md. */
import type Database from 'better-sqlite3';
import type { EnergyResponse, HistoryResponse } from '../../shared/api.js';
import type { EngineEvent } from '../../shared/events.js';
import type { FieldValue, Sample } from '../../shared/samples.js';
import { EnergyBuffer } from './energy-buffer.js';
import { EnergyReader } from './energy-query.js';
import { StoreError, StoreInputError, StoreOpenError, StoreWriteError, sqliteCode } from './errors.js';
import { HistoryReader } from './history.js';
import { EventLog, OutboxTable, SettingsTable } from './records.js';
import { Retention } from './retention.js';
import { Rollups } from './rollup.js';
import { checkSample, type CheckedSample } from './sample-input.js';
import { openDatabase } from './schema.js';
import { loadState } from './state-loader.js';
import type { EnergyQuery, EventQuery, HistoryQuery, LocalStore, Outbox, RetentionDays, StoreOptions } from './types.js';
import { BatchWriter } from './writer.js';
import { ZoneClock, isValidTimeZone } from './zone.js';

export const DEFAULT_BATCH_MS = 5000;
export const DEFAULT_ENERGY_GAP_MS = 120_000;
export const DEFAULT_RETENTION: RetentionDays = { raw: 30, minute: 730, hour: null, day: null };
/** How often retention runs by itself (a chunk at a time): rarely, as every run rewrites a page per series. */
export const RETENTION_EVERY_MS = 3_600_000;
/** While commits fail (disk full), samples wait in memory up to this many; older ones are dropped and counted. */
export const MAX_BUFFERED_SAMPLES = 100_000;

export class SqliteStore implements LocalStore {
  readonly outbox: Outbox;
  private readonly db: Database.Database;
  private readonly writer: BatchWriter;
  private readonly historyReader: HistoryReader;
  private readonly energyReader: EnergyReader;
  private readonly eventLog: EventLog;
  private readonly settings: SettingsTable;
  private readonly outboxTable: OutboxTable;
  private readonly retention: Retention;
  private readonly rollups: Rollups;
  private readonly energyBuffer: EnergyBuffer;
  private readonly batchMs: number;
  private readonly now: () => number;
  private buffer: CheckedSample[] = [];
  private droppedSamples = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastRetentionMs = Number.NEGATIVE_INFINITY;
  private retentionBehind = false;
  private closed = false;

  constructor(private readonly options: StoreOptions) {
    if (!isValidTimeZone(options.timeZone)) throw new StoreOpenError('openFailed', `unknown time zone ${JSON.stringify(options.timeZone)}: use an IANA name such as Europe/Berlin`);
    this.batchMs = positive(options.batchMs, DEFAULT_BATCH_MS, 'batchMs');
    const energyGapMs = positive(options.energyGapMs, DEFAULT_ENERGY_GAP_MS, 'energyGapMs');
    const retention = { ...DEFAULT_RETENTION, ...options.retention };
    this.now = options.now ?? Date.now;
    const zone = new ZoneClock(options.timeZone);
    if (options.maxFileBytes !== undefined) positive(options.maxFileBytes, 0, 'maxFileBytes');
    this.db = openDatabase(options.path, options.maxFileBytes);
    try {
      const state = loadState(this.db);
      this.rollups = new Rollups(this.db);
      this.rollups.rebuildFromWatermarks();
      this.energyBuffer = new EnergyBuffer(this.db, zone, energyGapMs);
      this.energyBuffer.rebuildFromWatermark();
      this.writer = new BatchWriter(this.db, { outbox: options.outbox ?? false, energyGapMs, zone }, this.rollups, this.energyBuffer, state);
      this.historyReader = new HistoryReader(this.db, retention, this.now, this.rollups);
      this.energyReader = new EnergyReader(this.db, zone, this.energyBuffer.pending);
      this.eventLog = new EventLog(this.db);
      this.settings = new SettingsTable(this.db);
      this.outboxTable = new OutboxTable(this.db);
      this.outbox = this.outboxTable;
      this.retention = new Retention(this.db, retention, this.rollups.ids.values());
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  append(sample: Sample): void {
    this.assertOpen();
    this.buffer.push(checkSample(sample));
    if (this.buffer.length > MAX_BUFFERED_SAMPLES) {
      this.buffer.shift();
      this.droppedSamples++;
    }
    this.timer ??= setTimeout(() => this.backgroundFlush(), this.batchMs).unref();
  }

  flush(): void {
    this.assertOpen();
    this.cancelTimer();
    this.commitBuffer();
  }

  close(): void {
    if (this.closed) return;
    this.cancelTimer();
    try {
      this.commitBuffer();
      this.write(() => this.rollups.writeAll(), 'rollups kept in memory');
      this.write(() => this.energyBuffer.writeAll(), 'energy of the newest hours');
    } finally {
      this.closed = true;
      this.db.close();
    }
  }

  history(query: HistoryQuery): HistoryResponse {
    this.assertOpen();
    return this.historyReader.query(query);
  }

  energy(query: EnergyQuery): EnergyResponse {
    this.assertOpen();
    return this.energyReader.query(query);
  }

  appendEvent(event: EngineEvent): number {
    this.assertOpen();
    return this.write(() => this.eventLog.append(event), 'event');
  }

  events(query: EventQuery): Array<EngineEvent & { id: number }> {
    this.assertOpen();
    return this.eventLog.query(query);
  }

  latest(): Record<string, { value: FieldValue; tsMs: number }> {
    this.assertOpen();
    return this.writer.latest();
  }

  getSetting<T>(key: string): T | undefined {
    this.assertOpen();
    return this.settings.get<T>(key);
  }

  putSetting(key: string, value: unknown): void {
    this.assertOpen();
    this.write(() => this.settings.put(key, value), `setting ${key}`);
  }

  applyRetention(): number {
    this.assertOpen();
    const { deleted, more } = this.write(() => this.retention.run(this.db, this.now()), 'retention');
    this.lastRetentionMs = Date.now();
    this.retentionBehind = more;
    return deleted;
  }

  private commitBuffer(): void {
    if (this.buffer.length > 0) {
      const batch = this.buffer;
      const outboxRows = this.write(() => this.writer.commit(batch), `batch of ${batch.length} samples`);
      this.outboxTable.added(outboxRows);
      this.buffer = [];
      this.droppedSamples = 0;
    }
    if (this.rollups.due()) {
      this.write(() => this.rollups.writeClosed(), 'rollups');
      this.write(() => this.energyBuffer.writeClosed(), 'hourly energy');
    }
    if (this.retentionBehind || Date.now() - this.lastRetentionMs >= RETENTION_EVERY_MS) {
      try {
        this.applyRetention();
      } catch (err) {
        this.report(err);
      }
    }
  }

  private backgroundFlush(): void {
    this.timer = null;
    if (this.closed) return;
    try {
      this.commitBuffer();
    } catch (err) {
      this.report(err);
      // Keep trying: the batch is still buffered, and the next attempt may find space again.
      if (this.buffer.length > 0) this.timer = setTimeout(() => this.backgroundFlush(), this.batchMs).unref();
    }
  }

  /** Run a write; turn SQLite failures into a StoreWriteError that says what was kept. */
  private write<T>(work: () => T, what: string): T {
    try {
      return work();
    } catch (err) {
      if (err instanceof StoreError) throw err;
      const code = sqliteCode(err);
      const kept = this.buffer.length > 0 ? `; ${this.buffer.length} samples kept in memory for the next attempt` : '';
      const dropped = this.droppedSamples > 0 ? ` (${this.droppedSamples} older samples dropped)` : '';
      if (code === 'SQLITE_FULL') throw new StoreWriteError('diskFull', `store ${this.options.path}: disk full, ${what} not written${kept}${dropped}`, { cause: err });
      throw new StoreWriteError('writeFailed', `store ${this.options.path}: ${what} not written (${code || (err as Error).message})${kept}${dropped}`, { cause: err });
    }
  }

  private report(err: unknown): void {
    const error = err instanceof StoreError ? err : new StoreWriteError('writeFailed', String(err), { cause: err });
    this.options.onError?.(error);
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('closed', `store ${this.options.path} is closed`);
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new StoreInputError('badQuery', `${name} must be a positive number`);
  return value;
}
