/**
 * Rebuilds the writer's memory after a restart from the newest rows only (never a full scan): latest
 * values for `live`, the last power samples (so energy keeps integrating across a short restart), the last
 * stored settings (so an unchanged QPIRI is not written again) and the last value of each enum series.
 */
import type Database from 'better-sqlite3';
import type { FieldValue, LatestValue } from '../../shared/samples.js';
import { POWER_SERIES } from './energy-integrator.js';
import { TABLES } from './tables.js';
import type { ChangeRow, WriterState } from './writer.js';

/** A series missing from the newest rows of its table has not been read for a while: not "latest" any more. */
const RECENT_ROWS = 600;

export function loadState(db: Database.Database): WriterState {
  const latest = new Map<string, LatestValue>();
  const changeRows = new Map<string, ChangeRow>();
  const lastChange = new Map<string, FieldValue>();
  for (const table of TABLES) {
    const rows = db.prepare(`SELECT * FROM ${table.name} ORDER BY ts_ms DESC LIMIT ${RECENT_ROWS}`).all() as Array<Record<string, number | string | null>>;
    const values = new Map<string, FieldValue>();
    for (const column of table.columns) {
      const row = rows.find((r) => r[column.column] !== null && r[column.column] !== undefined);
      if (!row) continue;
      const raw = row[column.column] as number | string;
      const value: FieldValue = column.kind === 'boolean' ? raw === 1 : raw;
      latest.set(column.series, { value, tsMs: row.ts_ms as number });
      values.set(column.column, value);
    }
    if (table.mode === 'changes' && rows.length > 0) changeRows.set(table.name, { values, extras: new Map() });
    for (const column of table.columns) {
      if (column.kind !== 'enum' && column.kind !== 'text') continue;
      const row = db.prepare('SELECT value FROM series_changes WHERE series = ? ORDER BY ts_ms DESC LIMIT 1').get(column.series) as { value: string | null } | undefined;
      if (row) lastChange.set(column.series, row.value);
    }
  }
  const lastPower = new Map(
    POWER_SERIES.flatMap(({ series }) => {
      const found = latest.get(series);
      return found && typeof found.value === 'number' ? [[series, { tsMs: found.tsMs, powerW: found.value }] as const] : [];
    }),
  );
  return { latest, lastPower, changeRows, lastChange };
}
