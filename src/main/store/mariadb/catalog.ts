/** The columns MariaDB actually has, read once per connection, so the sync writes only what exists. */
import type { Connection } from 'mysql2/promise';
import { DEVICE_KINDS } from '../../../shared/samples.js';
import { EXTRA_COLUMN, KEY_COLUMNS, tableFor } from './columns.js';

export type ColumnKind = 'number' | 'boolean' | 'text' | 'json';

export interface ColumnInfo {
  kind: ColumnKind;
  /** Longest text the column holds (text columns only). */
  maxChars: number | null;
}

/** table -> column -> info; generated columns are left out (they cannot be written). */
export type Catalog = ReadonlyMap<string, ReadonlyMap<string, ColumnInfo>>;

export interface ColumnRow {
  table: string;
  column: string;
  dataType: string;
  columnType: string;
  maxChars: number | null;
  generated: boolean;
}

export function columnKind(row: Pick<ColumnRow, 'column' | 'dataType' | 'columnType'>): ColumnKind | null {
  const type = row.dataType.toLowerCase();
  if (row.column === EXTRA_COLUMN) return 'json';
  if (type === 'tinyint' && /^tinyint\(1\)/i.test(row.columnType)) return 'boolean';
  if (['double', 'float', 'decimal', 'tinyint', 'smallint', 'mediumint', 'int', 'bigint'].includes(type)) return 'number';
  if (['varchar', 'char', 'text', 'tinytext', 'mediumtext', 'longtext'].includes(type)) return 'text';
  return null;
}

/** Builds the catalogue and checks that every device table has its key and `extra` columns. */
export function buildCatalog(rows: readonly ColumnRow[]): { ok: true; catalog: Catalog } | { ok: false; error: string } {
  const catalog = new Map<string, Map<string, ColumnInfo>>();
  for (const row of rows) {
    if (row.generated) continue;
    const kind = columnKind(row);
    if (!kind) continue;
    let table = catalog.get(row.table);
    if (!table) catalog.set(row.table, (table = new Map()));
    table.set(row.column, { kind, maxChars: kind === 'text' ? row.maxChars : null });
  }
  for (const device of DEVICE_KINDS) {
    const table = catalog.get(tableFor(device));
    const missing = [...KEY_COLUMNS, EXTRA_COLUMN].filter((c) => !table?.has(c));
    if (missing.length > 0) return { ok: false, error: `table ${tableFor(device)} lacks column(s) ${missing.join(', ')}` };
  }
  return { ok: true, catalog };
}

export async function loadCatalog(conn: Connection): Promise<{ ok: true; catalog: Catalog } | { ok: false; error: string }> {
  const tables = DEVICE_KINDS.map(tableFor);
  const [rows] = await conn.query(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, DATA_TYPE AS d, COLUMN_TYPE AS ct, CHARACTER_MAXIMUM_LENGTH AS len, IS_GENERATED AS g
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?)`,
    [tables],
  );
  const list = (rows as Array<Record<string, unknown>>).map(
    (r): ColumnRow => ({
      table: String(r.t),
      column: String(r.c),
      dataType: String(r.d),
      columnType: String(r.ct),
      maxChars: r.len === null || r.len === undefined ? null : Number(r.len),
      generated: String(r.g) !== 'NEVER',
    }),
  );
  return buildCatalog(list);
}
