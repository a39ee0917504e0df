/** MariaDB: schema and migrations, store-and-forward sync from the outbox, legacy views and import. */
export { createSync, SYNC_DEFAULTS, type DrainResult, type MariadbSync, type SyncLogger, type SyncOptions, type SyncStatus } from './sync.js';
export { applyMigrations, loadMigrations, schemaVersion, SchemaTooNewError, SQL_DIR, type Migration, type MigrationResult } from './migrations.js';
export { importLegacy, type ImportProgress, type LegacyImportOptions, type TableReport } from './legacy-import.js';
export { LEGACY_TABLES, legacyRowToSample, type LegacyTableName } from './legacy-map.js';
export { parseMariadbUrl, redactUrl, type MariadbTarget } from './url.js';
export { columnName, tableFor } from './columns.js';
