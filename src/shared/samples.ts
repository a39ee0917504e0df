/** The shapes every part of voltmon exchanges: one device reading at one instant, and link states. */

export const DEVICE_KINDS = ['inverter', 'bms', 'meter', 'relay'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export type FieldValue = number | string | boolean | null;

/**
 * One reading of one device. `values` keys are protocols.md field names (camelCase with unit suffix);
 * arrays are flattened as `cellVoltagesV[0]`, nested objects as `deviceStatus.loadOn`.
 * Enumerations carry their protocols.md names (`sbu`, `solarOnly`), not codes.
 * A sample may be partial: it holds what one command (`source`, e.g. `QPIGS`, `0x95`) returned.
 */
export interface Sample {
  device: DeviceKind;
  tsMs: number;
  source: string;
  values: Record<string, FieldValue>;
}

export type LinkState = 'connecting' | 'online' | 'offline';

/** Per-device error statistics, exposed by health and metrics. */
export interface DeviceStats {
  framesOk: number;
  crcErrors: number;
  timeouts: number;
  naks: number;
  implausible: number;
  reconnects: number;
  lastPollLatencyMs: number | null;
}

/** The newest value of a series and when it was read (UTC ms). */
export interface LatestValue {
  value: FieldValue;
  tsMs: number;
}

/**
 * Put the newest value of `series` into `latest`, updating its entry in place: the engine does this for every
 * value of every sample, so no object is made for a series already there. Returns the entry it created, null
 * when it updated one. Whoever keeps such a map hands out copies of its entries, never the entries.
 */
export function putLatest(latest: Map<string, LatestValue>, series: string, value: FieldValue, tsMs: number): LatestValue | null {
  const entry = latest.get(series);
  if (entry) {
    entry.value = value;
    entry.tsMs = tsMs;
    return null;
  }
  const created = { value, tsMs };
  latest.set(series, created);
  return created;
}

/** device -> field -> `device.field`: the names of the fields the devices report, built once. */
const SERIES_NAMES = new Map<string, Map<string, string>>();
/** Fields beyond this many per device (only from hostile input) get a fresh name each time, not a slot. */
const MAX_NAMES_PER_DEVICE = 2048;

/**
 * `bms.socPct` for device `bms` and field `socPct`. Every sample's every value is named this way several
 * times on its way through the engine; handing out one string per name spares building and hashing anew.
 */
export function seriesName(device: DeviceKind, field: string): string {
  let names = SERIES_NAMES.get(device);
  if (!names) SERIES_NAMES.set(device, (names = new Map()));
  let name = names.get(field);
  if (name === undefined) {
    name = `${device}.${field}`;
    if (names.size < MAX_NAMES_PER_DEVICE) names.set(field, name);
  }
  return name;
}

/** Split `bms.cellVoltagesV[3]` into its device and field; null when the device part is unknown. */
export function parseSeriesName(name: string): { device: DeviceKind; field: string } | null {
  const dot = name.indexOf('.');
  if (dot <= 0) return null;
  const device = name.slice(0, dot);
  const field = name.slice(dot + 1);
  if (!(DEVICE_KINDS as readonly string[]).includes(device) || field.length === 0) return null;
  return { device: device as DeviceKind, field };
}

const isFieldValue = (v: unknown): v is FieldValue => v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';

/** name -> `name[0]`, `name[1]`, …: a BMS names its cells on every reply. */
const INDEXED_NAMES = new Map<string, string[]>();
const MAX_MEMO_INDEX = 256;
function indexedName(name: string, i: number): string {
  if (i >= MAX_MEMO_INDEX) return `${name}[${i}]`;
  let names = INDEXED_NAMES.get(name);
  if (!names) INDEXED_NAMES.set(name, (names = []));
  return (names[i] ??= `${name}[${i}]`);
}

/** Flatten a decoded object into sample values: arrays to `[i]`, nested plain objects to `a.b`. */
export function flattenFields(obj: Record<string, unknown>, prefix = ''): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  flattenInto(out, obj, prefix);
  return out;
}

function flattenInto(out: Record<string, FieldValue>, obj: Record<string, unknown>, prefix: string): void {
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    const value = obj[key];
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (isFieldValue(item)) out[indexedName(name, i)] = item;
      }
    } else if (value !== null && typeof value === 'object') {
      flattenInto(out, value as Record<string, unknown>, name);
    } else if (isFieldValue(value)) {
      out[name] = value;
    }
  }
}
