/** The plant model: a pure, seeded simulation of the installation, no I/O. */
export { createPlant, DEFAULT_PV } from './plant.js';
export type { EnergyTotals, Plant, PlantBms, PlantInverter, PlantMeter, PlantOptions, PlantTruth } from './plant.js';
export type { BmsAlarm, BmsLimits, BmsReadings } from './bms.js';
export { BMS_ALARM_BITS, DEFAULT_BMS_LIMITS } from './bms.js';
export type { GridOutage, MeterReadings } from './grid.js';
export type { DeviceStatus, DeviceStatus2, ModeLetter, Q1Reading, QdiReading, QflagReading, QpigsReading, QpiriReading } from './inverter-readings.js';
export { MODE_NAMES, WARNING_BIT, WARNING_BIT_COUNT } from './inverter-readings.js';
export type { InverterSettings } from './inverter-settings.js';
export { AC_CHARGING_CURRENT_OPTIONS_A, applySettingCommand, CHARGING_CURRENT_OPTIONS_A, FACTORY_SETTINGS } from './inverter-settings.js';
export type { BatteryOptions } from './battery-pack.js';
export { DEFAULT_BATTERY } from './battery-pack.js';
export type { LoadOptions } from './load.js';
export type { PvArray } from './sun.js';
