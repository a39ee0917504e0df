/**
 * How sample fields become MariaDB columns: one table per device, the field name in snake_case
 * (sql/migrations/001_device_tables.sql). Fields without a column travel in the `extra` JSON column.
 */
import { DEVICE_KINDS, type DeviceKind } from '../../../shared/samples.js';

export const tableFor = (device: DeviceKind): string => `${device}_samples`;

export const isDeviceKind = (value: string): value is DeviceKind => (DEVICE_KINDS as readonly string[]).includes(value);

/** Columns the program fills itself; a sample field of the same name goes to `extra`. */
export const KEY_COLUMNS = ['site', 'ts_ms', 'source'] as const;
export const EXTRA_COLUMN = 'extra';

/**
 * Wire bookkeeping that codecs report next to the measurements (addresses, CRCs, frame numbers);
 * not data, so not shipped.
 */
const WIRE_FIELDS = new Set([
  'address',
  'dataId',
  'crcRawHex',
  'crcOnWireHex',
  'fieldCount',
  'frameCount',
  'frameNumbers',
  'currentRaw',
  'slaveId',
  'functionCode',
  'byteCount',
  'registersHex',
  'floats',
]);

const NAME_CACHE_LIMIT = 10_000;
const names = new Map<string, string>();

/** `batteryVoltageV` -> `battery_voltage_v`, `cellVoltagesV[3]` -> `cell_voltages_v_3`, `dio.di1` -> `dio__di1`. */
export function columnName(field: string): string {
  let name = names.get(field);
  if (name === undefined) {
    // Samples repeat the same few hundred field names: convert each once.
    if (names.size >= NAME_CACHE_LIMIT) names.clear();
    name = toSnakeCase(field);
    names.set(field, name);
  }
  return name;
}

function toSnakeCase(field: string): string {
  const indexed = /^(.*)\[(\d+)\]$/.exec(field);
  const base = indexed ? (indexed[1] ?? '') : field;
  const snake = base
    .split('.')
    .map((part) =>
      part
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
        .toLowerCase(),
    )
    .join('__');
  return indexed ? `${snake}_${indexed[2]}` : snake;
}

export interface FieldRef {
  /** The field without its `[i]` suffix. */
  base: string;
  index: number | null;
}

export function splitField(field: string): FieldRef {
  const indexed = /^(.*)\[(\d+)\]$/.exec(field);
  return indexed ? { base: indexed[1] ?? '', index: Number(indexed[2]) } : { base: field, index: null };
}

export const isWireField = (field: string): boolean => WIRE_FIELDS.has(splitField(field).base);
