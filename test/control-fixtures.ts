/** The inverter settings (QPIRI) the control tests start from: a 16S LiFePO4 bank in SBU, solar-only charging. */
import type { FieldValue } from '../src/shared/samples.js';

export const START_SETTINGS: Readonly<Record<string, FieldValue>> = Object.freeze({
  batteryRechargeVoltageV: 51,
  batteryUnderVoltageV: 46,
  batteryBulkVoltageV: 56.0,
  batteryFloatVoltageV: 55.5,
  batteryRedischargeVoltageV: 53,
  maxAcChargingCurrentA: 30,
  maxChargingCurrentA: 40,
  outputSourcePriority: 'sbu',
  chargerSourcePriority: 'solarOnly',
});
