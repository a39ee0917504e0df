/** The local SQLite store: open it with openStore(); the contract is in types.ts. */
import { SqliteStore } from './sqlite-store.js';
import type { LocalStore, StoreOptions } from './types.js';

export type { EnergyQuery, EventQuery, HistoryQuery, LocalStore, Outbox, OutboxRow, RetentionDays, StoreOptions } from './types.js';
export { StoreError, StoreInputError, StoreOpenError, StoreWriteError, type StoreErrorCode } from './errors.js';
export { DEFAULT_BATCH_MS, DEFAULT_ENERGY_GAP_MS, DEFAULT_RETENTION } from './sqlite-store.js';
export { APPLICATION_ID, SCHEMA_VERSION } from './schema.js';

/** Open (creating or migrating) the store at `options.path`; throws StoreOpenError with the file untouched if it is not a usable voltmon store. */
export function openStore(options: StoreOptions): LocalStore {
  return new SqliteStore(options);
}
