/** The inverter driver (PI30) and its defaults. */
export {
  InverterDriver,
  INVERTER_POLL_COMMANDS,
  DEFAULT_INVERTER_POLL,
  DEFAULT_IDENTITY_COMMANDS,
  type InverterDriverOptions,
  type InverterIdentity,
  type InverterPollCommand,
} from './inverter-driver.js';
export { DEFAULT_QPIGS_RULES } from './qpigs-plausibility.js';
export { derivedQpigsValues } from './qpigs-derived.js';
