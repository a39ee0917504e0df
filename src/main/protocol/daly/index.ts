/** Daly smart BMS "A5" protocol (protocols.md §2): pure codec, bytes <-> named fields. */
export { DalyFrameAssembler } from './assembler.js';
export { DALY_ALARM_BITS, dalyActiveAlarms } from './alarms.js';
export { decodeDalyResponse, type DalyDecodeOptions } from './decode.js';
export {
  DALY_STATE_NAMES,
  type DalyBalancing,
  type DalyCellVoltageExtremes,
  type DalyFailureStatus,
  type DalyMosStatus,
  type DalyPackStatus,
  type DalyStateName,
  type DalyStatusInfo,
  type DalyTemperatureExtremes,
} from './fields.js';
export {
  DALY_BMS_ADDRESS,
  DALY_DATA_LENGTH,
  DALY_FRAME_LENGTH,
  DALY_START_BYTE,
  dalyChecksum,
  encodeDalyFrame,
  parseDalyRequest,
  type DalyFrame,
} from './frame.js';
export {
  DALY_LEGACY_PACK_CAPACITY_AH,
  DALY_LEGACY_SOC_K1,
  dalyLegacyColumns,
  legacyBits8,
  legacyBitsFromHex,
  legacyRemainingCapacityAh,
  legacySocPct,
  type LegacyColumns,
} from './legacy.js';
export { MAX_CELLS, MAX_TEMPERATURE_SENSORS } from './multi-frame.js';
export {
  DALY_DATA_ID,
  DALY_DEFAULT_HOST_ADDRESS,
  encodeDalyRequest,
  encodeSetChargeMos,
  encodeSetDischargeMos,
  encodeSetSoc,
  type DalyRequestOptions,
} from './requests.js';
