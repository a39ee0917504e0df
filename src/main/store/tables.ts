/**
 * The device tables, derived from the series catalogue: one typed column per series. Every catalogue series
 * lands in exactly one table. Per-sample tables get a row per sample and have rollups; change tables get a
 * row only when one of their values changes (settings, mode, warnings: slow, and read back often).
 */
import type { DeviceKind } from '../../shared/samples.js';
import { SERIES, type SeriesKind } from '../../shared/series.js';

export type TableMode = 'perSample' | 'changes';

export interface ColumnDef {
  series: string;
  field: string;
  column: string;
  kind: SeriesKind;
}

export interface TableDef {
  name: string;
  device: DeviceKind;
  mode: TableMode;
  /** Change tables keep values outside the catalogue (rated values, warning lists) as JSON in `extra`. */
  keepExtra: boolean;
  columns: ColumnDef[];
  /** Numeric and boolean columns: the ones with rollups (per-sample tables only). */
  rollupColumns: ColumnDef[];
}

/** `cellVoltagesV[3]` -> `cell_voltages_v_3`, `acOutputApparentPowerVA` -> `ac_output_apparent_power_va`. */
export function columnName(field: string): string {
  return field
    .replace(/\[(\d+)\]/g, '_$1')
    .replace(/\./g, '_')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const INVERTER_SETTINGS = new Set([
  'batteryRechargeVoltageV',
  'batteryUnderVoltageV',
  'batteryBulkVoltageV',
  'batteryFloatVoltageV',
  'batteryRedischargeVoltageV',
  'maxAcChargingCurrentA',
  'maxChargingCurrentA',
  'outputSourcePriority',
  'chargerSourcePriority',
  'batteryType',
]);
const INVERTER_STATE = new Set(['mode', 'severity', 'warningBits']);

const SHAPES: ReadonlyArray<{ name: string; device: DeviceKind; mode: TableMode; keepExtra: boolean; owns: (field: string) => boolean }> = [
  { name: 'inverter_status', device: 'inverter', mode: 'perSample', keepExtra: false, owns: (f) => !INVERTER_SETTINGS.has(f) && !INVERTER_STATE.has(f) },
  { name: 'inverter_settings', device: 'inverter', mode: 'changes', keepExtra: true, owns: (f) => INVERTER_SETTINGS.has(f) },
  { name: 'inverter_state', device: 'inverter', mode: 'changes', keepExtra: true, owns: (f) => INVERTER_STATE.has(f) },
  { name: 'bms', device: 'bms', mode: 'perSample', keepExtra: false, owns: () => true },
  { name: 'meter', device: 'meter', mode: 'perSample', keepExtra: false, owns: () => true },
  { name: 'relay', device: 'relay', mode: 'perSample', keepExtra: false, owns: () => true },
];

const isRolledUp = (kind: SeriesKind): boolean => kind === 'number' || kind === 'boolean';

export const TABLES: readonly TableDef[] = SHAPES.map((shape) => {
  const columns = SERIES.filter((s) => s.device === shape.device && shape.owns(s.field)).map((s) => ({
    series: `${s.device}.${s.field}`,
    field: s.field,
    column: columnName(s.field),
    kind: s.kind,
  }));
  return {
    name: shape.name,
    device: shape.device,
    mode: shape.mode,
    keepExtra: shape.keepExtra,
    columns,
    rollupColumns: shape.mode === 'perSample' ? columns.filter((c) => isRolledUp(c.kind)) : [],
  };
});

export interface SeriesLocation {
  table: TableDef;
  column: ColumnDef;
}

const LOCATIONS = new Map<string, SeriesLocation>();
for (const table of TABLES) for (const column of table.columns) LOCATIONS.set(column.series, { table, column });

export const locateSeries = (series: string): SeriesLocation | undefined => LOCATIONS.get(series);

/** Per device: field name -> where it is stored. */
export const FIELDS_BY_DEVICE = new Map<DeviceKind, Map<string, SeriesLocation>>();
for (const location of LOCATIONS.values()) {
  const device = location.table.device;
  const fields = FIELDS_BY_DEVICE.get(device) ?? new Map<string, SeriesLocation>();
  fields.set(location.column.field, location);
  FIELDS_BY_DEVICE.set(device, fields);
}

export const sqlType = (kind: SeriesKind): string => (kind === 'number' ? 'REAL' : kind === 'boolean' ? 'INTEGER' : 'TEXT');
