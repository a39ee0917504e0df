/** Typed failures of the local store. `code` is stable (the API and tests key on it); `message` is for people. */
export type StoreErrorCode =
  | 'notSqlite' // the file is not an SQLite database (or is damaged beyond reading)
  | 'foreign' // an SQLite database that voltmon did not create
  | 'schemaTooNew' // written by a newer voltmon
  | 'openFailed' // any other reason the file cannot be opened
  | 'unknownSeries' // history of a series the catalogue does not know
  | 'badQuery' // a query with an impossible range, count or period
  | 'badSample' // a sample whose shape or values cannot be stored
  | 'diskFull' // SQLITE_FULL: the batch was rolled back and is kept for the next attempt
  | 'writeFailed' // any other failed commit (I/O error, read-only file): rolled back, kept
  | 'closed'; // the store was used after close()

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** The file could not be opened as voltmon's store; it was left untouched. */
export class StoreOpenError extends StoreError {
  override name = 'StoreOpenError';
}

/** A query or sample was refused; nothing was stored or changed. */
export class StoreInputError extends StoreError {
  override name = 'StoreInputError';
}

/** A batch could not be committed; nothing of it was written and it stays buffered for the next attempt. */
export class StoreWriteError extends StoreError {
  override name = 'StoreWriteError';
}

export const sqliteCode = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
