/**
 * Retention: old raw rows and rollups are deleted in bounded chunks, oldest first, so one run never holds
 * the writer for long; a store that was off for months catches up over a few runs.
 */
import type Database from 'better-sqlite3';
import { LEVEL_MS, ROLLUP_LEVELS, rollupTable, type RollupLevel } from './rollup.js';
import { TABLES } from './tables.js';
import type { RetentionDays } from './types.js';

const DAY_MS = 86_400_000;
/** Raw rows per table per run: an hour of 1 Hz samples. */
export const RETENTION_CHUNK = 4000;
/** Rollup buckets per series per run (at most this many buckets' worth of time). */
const ROLLUP_CHUNK = 4000;

const LEVEL_RETENTION: Record<RollupLevel, keyof RetentionDays> = { '1m': 'minute', '1h': 'hour', '1d': 'day' };

interface Target {
  days: number;
  run: (cutoffMs: number) => number;
  /** Whether rows past the cutoff may be left after deleting this many. */
  maybeMore: (deleted: number) => boolean;
}

export class Retention {
  private readonly targets: Target[] = [];

  constructor(db: Database.Database, retention: RetentionDays, seriesIds: Iterable<number>) {
    // Change tables (settings, mode), enum changes, energy and events are small and never pruned.
    for (const table of TABLES) {
      if (table.mode !== 'perSample') continue;
      const statement = db.prepare(`DELETE FROM ${table.name} WHERE ts_ms IN (SELECT ts_ms FROM ${table.name} WHERE ts_ms < ? ORDER BY ts_ms LIMIT ${RETENTION_CHUNK})`);
      this.targets.push({ days: retention.raw, run: (cutoff) => statement.run(cutoff).changes, maybeMore: (deleted) => deleted === RETENTION_CHUNK });
    }
    const ids = [...seriesIds];
    for (const level of ROLLUP_LEVELS) {
      const days = retention[LEVEL_RETENTION[level]];
      if (days === null) continue;
      const spanMs = ROLLUP_CHUNK * LEVEL_MS[level];
      const statement = db.prepare(
        `DELETE FROM ${rollupTable(level)} WHERE series_id = @id AND bucket_ms < min(@cutoff, (SELECT min(bucket_ms) FROM ${rollupTable(level)} WHERE series_id = @id) + @spanMs)`,
      );
      this.targets.push({ days, run: (cutoff) => ids.reduce((n, id) => n + statement.run({ id, cutoff, spanMs }).changes, 0), maybeMore: (deleted) => deleted > 0 });
    }
  }

  /** One bounded run; `more` says some table had more old rows than one chunk. */
  run(db: Database.Database, nowMs: number): { deleted: number; more: boolean } {
    let deleted = 0;
    let more = false;
    db.transaction(() => {
      for (const target of this.targets) {
        const changes = target.run(nowMs - target.days * DAY_MS);
        deleted += changes;
        more ||= target.maybeMore(changes);
      }
    })();
    return { deleted, more };
  }
}
