/** The local store's contract (implemented in this folder); API, sync, control and import code against it. */
import type { EnergyResponse, HistoryResponse } from '../../shared/api.js';
import type { EngineEvent, EventKind } from '../../shared/events.js';
import type { DeviceKind, FieldValue, Sample } from '../../shared/samples.js';
import type { StoreError } from './errors.js';

export interface RetentionDays {
  raw: number;
  minute: number;
  /** null = forever */
  hour: number | null;
  day: number | null;
}

export interface StoreOptions {
  /** SQLite file; ':memory:' for tests. */
  path: string;
  /** IANA zone for day/month boundaries (e.g. Europe/Berlin). */
  timeZone: string;
  /** Longest time a sample waits before its batch is committed (default 5000). */
  batchMs?: number;
  retention?: Partial<RetentionDays>;
  /** Power samples further apart than this are not bridged when integrating energy (default 120000). */
  energyGapMs?: number;
  /** Keep an outbox for MariaDB sync (default false). */
  outbox?: boolean;
  /** Upper bound on the database file (SQLite max_page_count); past it commits fail as 'diskFull'. Default: no bound. */
  maxFileBytes?: number;
  /** Clock for retention (default Date.now); tests and replays of old data pass their own. */
  now?: () => number;
  /** Failures of background work (a timer-driven commit, retention) that no caller can catch; flush() throws them. */
  onError?: (error: StoreError) => void;
}

export interface HistoryQuery {
  series: string[];
  from: number;
  to: number;
  points: number;
}

export interface EnergyQuery {
  period: 'hour' | 'day' | 'month';
  from: number;
  to: number;
}

export interface EventQuery {
  from?: number;
  to?: number;
  kinds?: EventKind[];
  limit?: number;
}

export interface OutboxRow {
  id: number;
  device: DeviceKind;
  source: string;
  tsMs: number;
  values: Record<string, FieldValue>;
}

/** Store-and-forward queue of samples for MariaDB; rows leave only when acknowledged. */
export interface Outbox {
  pending(limit: number): OutboxRow[];
  acknowledge(ids: number[]): void;
  backlog(): number;
}

export interface LocalStore {
  append(sample: Sample): void;
  /** Commit the current batch now. */
  flush(): void;
  close(): void;
  history(query: HistoryQuery): HistoryResponse;
  energy(query: EnergyQuery): EnergyResponse;
  appendEvent(event: EngineEvent): number;
  events(query: EventQuery): Array<EngineEvent & { id: number }>;
  /** Latest stored value of every series (to fill `live` after a restart). */
  latest(): Record<string, { value: FieldValue; tsMs: number }>;
  getSetting<T>(key: string): T | undefined;
  putSetting(key: string, value: unknown): void;
  readonly outbox: Outbox;
  /** Delete one bounded chunk of rows past retention (also done by itself every few minutes); returns rows deleted. */
  applyRetention(): number;
}
