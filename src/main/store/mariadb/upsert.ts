/**
 * Outbox rows -> idempotent multi-row upserts (`INSERT ... ON DUPLICATE KEY UPDATE`) keyed by
 * (site, ts_ms, source). Pure: the catalogue says which columns exist and what they hold; a value that
 * does not fit its column (wrong type, too long) is kept in `extra` instead of failing the batch.
 */
import type { FieldValue } from '../../../shared/samples.js';
import type { OutboxRow } from '../types.js';
import type { Catalog, ColumnInfo } from './catalog.js';
import { columnName, EXTRA_COLUMN, isDeviceKind, isWireField, KEY_COLUMNS, splitField, tableFor } from './columns.js';

export interface UpsertStatement {
  table: string;
  sql: string;
  params: unknown[];
  rowIds: number[];
}

export interface RejectedRow {
  id: number;
  reason: string;
}

export interface UpsertPlan {
  statements: UpsertStatement[];
  rejected: RejectedRow[];
}

const MAX_SOURCE_CHARS = 32;
const RESERVED = new Set<string>([...KEY_COLUMNS, EXTRA_COLUMN]);

type SqlValue = number | string | null;

interface MappedRow {
  id: number;
  tsMs: number;
  source: string;
  columns: Map<string, SqlValue>;
}

export function planUpserts(rows: readonly OutboxRow[], site: string, catalog: Catalog): UpsertPlan {
  const rejected: RejectedRow[] = [];
  const groups = new Map<string, { table: string; rows: MappedRow[] }>();
  for (const row of rows) {
    const why = rowProblem(row);
    const columns = !why && isDeviceKind(row.device) ? catalog.get(tableFor(row.device)) : undefined;
    if (why || !columns) {
      rejected.push({ id: row.id, reason: why ?? `no table for device ${JSON.stringify(row.device)}` });
      continue;
    }
    const table = tableFor(row.device);
    const key = `${table}\u0000${row.source}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { table, rows: [] }));
    group.rows.push({ id: row.id, tsMs: Math.round(row.tsMs), source: row.source, columns: mapValues(row.values, columns) });
  }
  const statements = [...groups.values()].map((g) => buildStatement(g.table, site, g.rows));
  return { statements, rejected };
}

function rowProblem(row: OutboxRow): string | null {
  if (!isDeviceKind(row.device)) return `unknown device ${JSON.stringify(row.device)}`;
  if (!Number.isFinite(row.tsMs)) return `timestamp ${String(row.tsMs)} is not a number`;
  if (typeof row.source !== 'string' || row.source.length === 0 || row.source.length > MAX_SOURCE_CHARS) {
    return `source ${JSON.stringify(row.source)} is empty or longer than ${MAX_SOURCE_CHARS} characters`;
  }
  return null;
}

/** Sample values -> column values; lists flattened as `name[i]` go back into one text column when there is one. */
export function mapValues(values: Record<string, FieldValue>, columns: ReadonlyMap<string, ColumnInfo>): Map<string, SqlValue> {
  const out = new Map<string, SqlValue>();
  const extra: Record<string, FieldValue | string> = {};
  const lists = new Map<string, Array<{ index: number; value: FieldValue }>>();
  for (const [field, value] of Object.entries(values)) {
    if (isWireField(field)) continue;
    const { base, index } = splitField(field);
    const listColumn = index === null ? null : columnName(base);
    if (index !== null && listColumn && columns.get(listColumn)?.kind === 'text' && !columns.has(columnName(field))) {
      let items = lists.get(base);
      if (!items) lists.set(base, (items = []));
      items.push({ index, value });
      continue;
    }
    const column = columnName(field);
    const info = RESERVED.has(column) ? undefined : columns.get(column);
    const fitted = info ? fit(value, info) : undefined;
    if (fitted !== undefined) out.set(column, fitted);
    else if (value !== null) extra[field] = typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  }
  for (const [base, items] of lists) {
    const text = items
      .sort((a, b) => a.index - b.index)
      .map((i) => String(i.value))
      .join(',');
    const column = columnName(base);
    const fitted = fit(text, columns.get(column) ?? { kind: 'text', maxChars: 0 });
    if (fitted !== undefined) out.set(column, fitted);
    else items.forEach((i) => (extra[`${base}[${i.index}]`] = i.value));
  }
  out.set(EXTRA_COLUMN, Object.keys(extra).length > 0 ? JSON.stringify(extra) : null);
  return out;
}

/** The value as its column stores it, or undefined when it does not fit. */
function fit(value: FieldValue, info: ColumnInfo): SqlValue | undefined {
  if (value === null) return null;
  switch (info.kind) {
    case 'number':
      if (typeof value === 'boolean') return value ? 1 : 0;
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value ? 1 : 0;
      return value === 0 || value === 1 ? value : undefined;
    case 'text': {
      if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
      const text = String(value);
      return info.maxChars !== null && text.length > info.maxChars ? undefined : text;
    }
    case 'json':
      return undefined;
  }
}

const quoteName = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

function buildStatement(table: string, site: string, rows: MappedRow[]): UpsertStatement {
  const valueColumns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const column of row.columns.keys()) {
      if (!seen.has(column)) {
        seen.add(column);
        valueColumns.push(column);
      }
    }
  }
  const allColumns = [...KEY_COLUMNS, ...valueColumns];
  const tuple = `(${allColumns.map(() => '?').join(', ')})`;
  const params: unknown[] = [];
  for (const row of rows) {
    params.push(site, row.tsMs, row.source);
    for (const column of valueColumns) params.push(row.columns.get(column) ?? null);
  }
  const updates = valueColumns.map((c) => `${quoteName(c)} = VALUES(${quoteName(c)})`).join(', ');
  const sql =
    `INSERT INTO ${quoteName(table)} (${allColumns.map(quoteName).join(', ')}) VALUES ` +
    rows.map(() => tuple).join(', ') +
    ` ON DUPLICATE KEY UPDATE ${updates}`;
  return { table, sql, params, rowIds: rows.map((r) => r.id) };
}
