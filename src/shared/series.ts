/**
 * The catalogue of series voltmon stores, charts and exposes. A series is `device.field`, the field
 * named as in protocols.md. Only numeric and boolean series have rollups; enum and text series are
 * stored as they change.
 */
import type { DeviceKind } from './samples.js';

export type SeriesKind = 'number' | 'boolean' | 'enum' | 'text';

export interface SeriesInfo {
  device: DeviceKind;
  field: string;
  kind: SeriesKind;
  unit: string;
  label: string;
}

const n = (device: DeviceKind, field: string, unit: string, label: string): SeriesInfo => ({ device, field, kind: 'number', unit, label });
const b = (device: DeviceKind, field: string, label: string): SeriesInfo => ({ device, field, kind: 'boolean', unit: '', label });
const e = (device: DeviceKind, field: string, label: string): SeriesInfo => ({ device, field, kind: 'enum', unit: '', label });

const CELLS = 16;
const TEMPERATURE_SENSORS = 4;

export const SERIES: readonly SeriesInfo[] = [
  // QPIGS: live status, every second
  n('inverter', 'gridVoltageV', 'V', 'Grid voltage'),
  n('inverter', 'gridFrequencyHz', 'Hz', 'Grid frequency'),
  n('inverter', 'acOutputVoltageV', 'V', 'Output voltage'),
  n('inverter', 'acOutputFrequencyHz', 'Hz', 'Output frequency'),
  n('inverter', 'acOutputApparentPowerVA', 'VA', 'Output apparent power'),
  n('inverter', 'acOutputActivePowerW', 'W', 'Output power (load)'),
  n('inverter', 'outputLoadPct', '%', 'Load'),
  n('inverter', 'busVoltageV', 'V', 'DC bus voltage'),
  n('inverter', 'batteryVoltageV', 'V', 'Battery voltage'),
  n('inverter', 'batteryChargingCurrentA', 'A', 'Battery charging current'),
  n('inverter', 'batteryCapacityPct', '%', 'Battery capacity (inverter)'),
  n('inverter', 'heatSinkTemperatureC', '°C', 'Heat sink temperature'),
  n('inverter', 'pvInputCurrentA', 'A', 'PV current'),
  n('inverter', 'pvInputVoltageV', 'V', 'PV voltage'),
  n('inverter', 'batteryVoltageFromSccV', 'V', 'Battery voltage (SCC)'),
  n('inverter', 'batteryDischargeCurrentA', 'A', 'Battery discharge current'),
  n('inverter', 'pvChargingPowerW', 'W', 'PV charging power'),
  // Derived by the inverter driver from QPIGS so every consumer agrees on them.
  n('inverter', 'pvPowerW', 'W', 'PV power'),
  n('inverter', 'batteryPowerW', 'W', 'Battery power (+ charging)'),
  // QPIRI: settings, every minute and after every setting command
  n('inverter', 'batteryRechargeVoltageV', 'V', 'Re-charge (back to utility) voltage'),
  n('inverter', 'batteryUnderVoltageV', 'V', 'Cut-off voltage'),
  n('inverter', 'batteryBulkVoltageV', 'V', 'Bulk (C.V.) voltage'),
  n('inverter', 'batteryFloatVoltageV', 'V', 'Float voltage'),
  n('inverter', 'batteryRedischargeVoltageV', 'V', 'Re-discharge (back to battery) voltage'),
  n('inverter', 'maxAcChargingCurrentA', 'A', 'Max utility charging current'),
  n('inverter', 'maxChargingCurrentA', 'A', 'Max charging current'),
  e('inverter', 'outputSourcePriority', 'Output source priority'),
  e('inverter', 'chargerSourcePriority', 'Charger source priority'),
  e('inverter', 'batteryType', 'Battery type'),
  // QMOD and QPIWS
  e('inverter', 'mode', 'Inverter mode'),
  e('inverter', 'severity', 'Warnings and faults'),
  { device: 'inverter', field: 'warningBits', kind: 'text', unit: '', label: 'Warning bits' },
  // Daly BMS
  n('bms', 'totalVoltageV', 'V', 'Pack voltage'),
  n('bms', 'currentA', 'A', 'Pack current (+ charging)'),
  n('bms', 'socPct', '%', 'State of charge'),
  n('bms', 'maxCellVoltageV', 'V', 'Highest cell voltage'),
  n('bms', 'minCellVoltageV', 'V', 'Lowest cell voltage'),
  n('bms', 'maxTemperatureC', '°C', 'Highest temperature'),
  n('bms', 'minTemperatureC', '°C', 'Lowest temperature'),
  e('bms', 'state', 'Charge state'),
  b('bms', 'chargeMosOn', 'Charge MOS'),
  b('bms', 'dischargeMosOn', 'Discharge MOS'),
  n('bms', 'remainingCapacityAh', 'Ah', 'Remaining capacity'),
  n('bms', 'cycleCount', '', 'Cycles'),
  ...Array.from({ length: CELLS }, (_, i) => n('bms', `cellVoltagesV[${i}]`, 'V', `Cell ${i + 1}`)),
  ...Array.from({ length: TEMPERATURE_SENSORS }, (_, i) => n('bms', `temperaturesC[${i}]`, '°C', `Temperature ${i + 1}`)),
  { device: 'bms', field: 'balancingCells', kind: 'text', unit: '', label: 'Balancing cells' },
  { device: 'bms', field: 'activeAlarms', kind: 'text', unit: '', label: 'Alarms' },
  // SDM230 meter: activePowerW > 0 imports from the grid
  n('meter', 'voltageV', 'V', 'Grid voltage (meter)'),
  n('meter', 'currentA', 'A', 'Grid current'),
  n('meter', 'activePowerW', 'W', 'Grid power (+ import)'),
  n('meter', 'apparentPowerVA', 'VA', 'Grid apparent power'),
  n('meter', 'reactivePowerVar', 'var', 'Grid reactive power'),
  n('meter', 'powerFactor', '', 'Power factor'),
  n('meter', 'frequencyHz', 'Hz', 'Grid frequency (meter)'),
  n('meter', 'importActiveEnergyKwh', 'kWh', 'Imported energy (meter total)'),
  n('meter', 'exportActiveEnergyKwh', 'kWh', 'Exported energy (meter total)'),
  // Grid relay
  b('relay', 'gridConnected', 'Grid connected'),
];

const BY_NAME = new Map(SERIES.map((s) => [`${s.device}.${s.field}`, s]));

export const seriesInfo = (name: string): SeriesInfo | undefined => BY_NAME.get(name);
export const isKnownSeries = (name: string): boolean => BY_NAME.has(name);

/** Enumerations as protocols.md names them; index = the device's code. */
export const OUTPUT_SOURCE_PRIORITIES = ['utilityFirst', 'solarFirst', 'sbu'] as const;
export type OutputSourcePriority = (typeof OUTPUT_SOURCE_PRIORITIES)[number];
export const CHARGER_SOURCE_PRIORITIES = ['utilityFirst', 'solarFirst', 'solarAndUtility', 'solarOnly'] as const;
export type ChargerSourcePriority = (typeof CHARGER_SOURCE_PRIORITIES)[number];
