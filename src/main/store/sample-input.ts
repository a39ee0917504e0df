/** Checking a sample before it is buffered, and sorting its values into the tables that store them. */
import { DEVICE_KINDS, type FieldValue, type Sample } from '../../shared/samples.js';
import { StoreInputError } from './errors.js';
import { FIELDS_BY_DEVICE, type SeriesLocation, type TableDef } from './tables.js';

export interface TablePart {
  table: TableDef;
  /** Catalogue values of this table, in the sample's order. */
  values: Array<{ location: SeriesLocation; value: FieldValue }>;
}

export interface CheckedSample {
  sample: Sample;
  parts: TablePart[];
  /** Values outside the catalogue, keys sorted (kept only by change tables). */
  extra: Record<string, FieldValue>;
}

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
  const fields = FIELDS_BY_DEVICE.get(sample.device) ?? new Map<string, SeriesLocation>();
  const parts = new Map<TableDef, TablePart>();
  const extra: Record<string, FieldValue> = {};
  for (const key of Object.keys(sample.values).sort()) {
    const value = sample.values[key] as FieldValue;
    const location = fields.get(key);
    if (!location) {
      if (typeof value === 'number' && !Number.isFinite(value)) refuse(sample, `${key} is not a finite number`);
      extra[key] = value;
      continue;
    }
    const part = parts.get(location.table) ?? { table: location.table, values: [] };
    part.values.push({ location, value: checkValue(sample, location, value) });
    parts.set(location.table, part);
  }
  return { sample, parts: [...parts.values()], extra };
}
