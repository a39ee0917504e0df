/** Device drivers: what the engine builds from the configuration and listens to. */
export type { DeviceDriver } from './types.js';
export { InverterDriver, INVERTER_POLL_COMMANDS, DEFAULT_INVERTER_POLL, DEFAULT_IDENTITY_COMMANDS, DEFAULT_QPIGS_RULES, derivedQpigsValues } from './inverter/index.js';
export type { InverterDriverOptions, InverterIdentity, InverterPollCommand } from './inverter/index.js';
export { BmsDriver, DEFAULT_BMS_DATA_IDS, DEFAULT_BMS_RULES, type BmsDriverOptions, type MosReply } from './bms/index.js';
export { Sdm230Driver, MbmdDriver, DEFAULT_SDM230_BLOCKS, DEFAULT_METER_RULES } from './meter/index.js';
export type { Sdm230DriverOptions, MbmdDriverOptions, MbmdError, RegisterBlock } from './meter/index.js';
export { checkPlausibility, type PlausibilityRule, type Bound, type Violation } from './core/plausibility.js';
export { DEFAULT_BACKOFF, backoffDelayMs, type BackoffOptions } from './core/backoff.js';
