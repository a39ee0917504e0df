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

export const seriesName = (device: DeviceKind, field: string): string => `${device}.${field}`;

/** Split `bms.cellVoltagesV[3]` into its device and field; null when the device part is unknown. */
export function parseSeriesName(name: string): { device: DeviceKind; field: string } | null {
  const dot = name.indexOf('.');
  if (dot <= 0) return null;
  const device = name.slice(0, dot);
  const field = name.slice(dot + 1);
  if (!(DEVICE_KINDS as readonly string[]).includes(device) || field.length === 0) return null;
  return { device: device as DeviceKind, field };
}

/** Flatten a decoded object into sample values: arrays to `[i]`, nested plain objects to `a.b`. */
export function flattenFields(obj: Record<string, unknown>, prefix = ''): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item === null || ['number', 'string', 'boolean'].includes(typeof item)) out[`${name}[${i}]`] = item as FieldValue;
      });
    } else if (value !== null && typeof value === 'object') {
      Object.assign(out, flattenFields(value as Record<string, unknown>, name));
    } else if (value === null || ['number', 'string', 'boolean'].includes(typeof value)) {
      out[name] = value as FieldValue;
    }
  }
  return out;
}
