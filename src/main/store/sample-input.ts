/**
 * Checking a sample before it is buffered, and sorting its values into the tables that store them.
 *
 * A driver sends the same fields in the same order with every sample of one command, so how a sample's keys
 * split into tables (a layout) is worked out once per (device, source) and reused while the keys stay the
 * same: per sample only its values are checked and copied, into one array shared by all its tables.
 */
import { DEVICE_KINDS, type DeviceKind, type FieldValue, type Sample } from '../../shared/samples.js';
import { StoreInputError } from './errors.js';
import { FIELDS_BY_DEVICE, type SeriesLocation, type TableDef } from './tables.js';

/**
 * The catalogue columns of one table that a sample fills, in field-name order. There is one such object per
 * (table, column set), shared by every sample that fills those columns, so the writer can find the prepared
 * statement for it by identity.
 */
export interface TableColumns {
  readonly table: TableDef;
  readonly locations: readonly SeriesLocation[];
}

/** One table's share of a sample: its values are CheckedSample.values[start, start + columns.locations.length). */
export interface TablePart {
  readonly columns: TableColumns;
  readonly start: number;
}

export interface CheckedSample {
  sample: Sample;
  /** In the order of each table's first field name; shared by the samples with the same keys. */
  parts: readonly TablePart[];
  /** The checked catalogue values, table by table (see TablePart). */
  values: FieldValue[];
  /** Values outside the catalogue, keys sorted (kept only by change tables). */
  extra: Readonly<Record<string, FieldValue>>;
}

/** How a sample with a given list of keys is checked and split. */
interface Layout {
  /** The keys as the sample listed them, to compare the next sample's keys with. */
  keys: readonly string[];
  /** The keys sorted (values are checked in this order), each with its column and slot in `values`, or none: outside the catalogue. */
  fields: ReadonlyArray<{ key: string; location: SeriesLocation | null; slot: number }>;
  parts: readonly TablePart[];
  valueCount: number;
}

/** Per device: the newest layout of each source. */
const LAYOUTS = new Map<DeviceKind, Map<string, Layout>>();
/** A caller inventing sources cannot grow the cache without bound: past this many it starts again. */
const MAX_SOURCES_PER_DEVICE = 64;
/** Per table: column names joined -> the one TableColumns object for that set. */
const COLUMN_SETS = new Map<TableDef, Map<string, TableColumns>>();
const NO_FIELDS = new Map<string, SeriesLocation>();
const NO_EXTRA: Readonly<Record<string, FieldValue>> = Object.freeze({});

function refuse(sample: Sample, why: string): never {
  throw new StoreInputError('badSample', `sample ${String(sample.device)}/${String(sample.source)} at ${String(sample.tsMs)} refused: ${why}`);
}

function checkValue(sample: Sample, location: SeriesLocation, value: FieldValue): FieldValue {
  if (value === null) return null;
  const { kind, field } = location.column;
  if (kind === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) refuse(sample, `${field} must be a finite number, got ${JSON.stringify(value) ?? String(value)}`);
    return value;
  }
  if (kind === 'boolean') {
    if (typeof value !== 'boolean') refuse(sample, `${field} must be true or false, got ${JSON.stringify(value)}`);
    return value;
  }
  if (typeof value !== 'string') refuse(sample, `${field} must be text, got ${JSON.stringify(value)}`);
  return value;
}

export function checkSample(sample: Sample): CheckedSample {
  if (!(DEVICE_KINDS as readonly string[]).includes(sample.device)) refuse(sample, 'unknown device');
  if (!Number.isSafeInteger(sample.tsMs) || sample.tsMs < 0) refuse(sample, 'tsMs must be a non-negative integer (UTC ms)');
  if (typeof sample.source !== 'string') refuse(sample, 'source must be text');
  if (typeof sample.values !== 'object' || sample.values === null) refuse(sample, 'values must be an object');
  const layout = layoutOf(sample);
  const values = new Array<FieldValue>(layout.valueCount);
  let extra: Record<string, FieldValue> | null = null;
  for (let i = 0; i < layout.fields.length; i++) {
    const { key, location, slot } = layout.fields[i] as Layout['fields'][number];
    const value = sample.values[key] as FieldValue;
    if (location) {
      values[slot] = checkValue(sample, location, value);
      continue;
    }
    if (typeof value === 'number' && !Number.isFinite(value)) refuse(sample, `${key} is not a finite number`);
    extra ??= {};
    extra[key] = value;
  }
  return { sample, parts: layout.parts, values, extra: extra ?? NO_EXTRA };
}

function layoutOf(sample: Sample): Layout {
  const keys = Object.keys(sample.values);
  let bySource = LAYOUTS.get(sample.device);
  if (!bySource) {
    bySource = new Map();
    LAYOUTS.set(sample.device, bySource);
  }
  const known = bySource.get(sample.source);
  if (known && sameKeys(known.keys, keys)) return known;
  const layout = makeLayout(FIELDS_BY_DEVICE.get(sample.device) ?? NO_FIELDS, keys);
  if (!known && bySource.size >= MAX_SOURCES_PER_DEVICE) bySource.clear();
  bySource.set(sample.source, layout);
  return layout;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function makeLayout(fields: ReadonlyMap<string, SeriesLocation>, keys: readonly string[]): Layout {
  const sorted = [...keys].sort();
  const byTable = new Map<TableDef, SeriesLocation[]>();
  for (const key of sorted) {
    const location = fields.get(key);
    if (!location) continue;
    const locations = byTable.get(location.table) ?? [];
    locations.push(location);
    byTable.set(location.table, locations);
  }
  const parts: TablePart[] = [];
  const slots = new Map<SeriesLocation, number>();
  let start = 0;
  for (const [table, locations] of byTable) {
    parts.push(Object.freeze({ columns: columnSet(table, locations), start }));
    locations.forEach((location, i) => slots.set(location, start + i));
    start += locations.length;
  }
  const layoutFields = sorted.map((key) => {
    const location = fields.get(key) ?? null;
    return { key, location, slot: location ? (slots.get(location) as number) : -1 };
  });
  return { keys, fields: layoutFields, parts, valueCount: start };
}

function columnSet(table: TableDef, locations: SeriesLocation[]): TableColumns {
  let sets = COLUMN_SETS.get(table);
  if (!sets) {
    sets = new Map();
    COLUMN_SETS.set(table, sets);
  }
  const key = locations.map((l) => l.column.column).join(',');
  let set = sets.get(key);
  if (!set) {
    set = Object.freeze({ table, locations: Object.freeze(locations) });
    sets.set(key, set);
  }
  return set;
}
