/** Meter drivers: the SDM230 over Modbus RTU, or through mbmd's HTTP API. */
export { Sdm230Driver, DEFAULT_SDM230_BLOCKS, type Sdm230DriverOptions, type RegisterBlock } from './sdm230-driver.js';
export { MbmdDriver, type MbmdDriverOptions, type MbmdError } from './mbmd-driver.js';
export { DEFAULT_METER_RULES } from './meter-plausibility.js';
