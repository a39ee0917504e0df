/**
 * Retention: old raw rows and 1-minute rollups are deleted in bounded chunks, oldest first, so one run
 * never holds the writer for long; a store that was off for months catches up over a few runs.
 */
import type Database from 'better-sqlite3';
import { ROLLUP_LEVELS, rollupTableName, type RollupLevel } from './rollup.js';
import { TABLES } from './tables.js';
import type { RetentionDays } from './types.js';

const DAY_MS = 86_400_000;
/** Rows per table per run: an hour of 1 Hz samples. */
export const RETENTION_CHUNK = 4000;

const LEVEL_RETENTION: Record<RollupLevel, keyof RetentionDays> = { '1m': 'minute', '1h': 'hour', '1d': 'day' };

interface Target {
  days: number;
  statement: Database.Statement;
}

export class Retention {
  private readonly targets: Target[] = [];

  constructor(db: Database.Database, retention: RetentionDays) {
    const add = (table: string, key: string, days: number | null): void => {
      if (days === null) return;
      this.targets.push({ days, statement: db.prepare(`DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${key} < ? ORDER BY ${key} LIMIT ${RETENTION_CHUNK})`) });
    };
    // Change tables (settings, mode) and enum changes are tiny and keep the value in effect: never pruned.
    for (const table of TABLES) {
      if (table.mode !== 'perSample') continue;
      add(table.name, 'ts_ms', retention.raw);
      for (const level of ROLLUP_LEVELS) add(rollupTableName(level, table), 'bucket_ms', retention[LEVEL_RETENTION[level]]);
    }
  }

  /** One bounded run; returns the rows deleted (a full chunk on some table means more are left). */
  run(db: Database.Database, nowMs: number): { deleted: number; more: boolean } {
    let deleted = 0;
    let more = false;
    db.transaction(() => {
      for (const target of this.targets) {
        const changes = target.statement.run(nowMs - target.days * DAY_MS).changes;
        deleted += changes;
        more ||= changes === RETENTION_CHUNK;
      }
    })();
    return { deleted, more };
  }
}
