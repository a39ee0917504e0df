/** PI30 (Voltronic/Axpert) codec: pure functions, bytes in, typed values out. */
export { crc16Xmodem, bumpCrc, isReservedCrcByte, crcHex, matchCrc, type CrcMatch } from './crc.js';
export { encodeRequest, validateRequestFrame, parseRequestFrame, type Pi30RequestFrame, type Pi30ReceivedRequest } from './request-frame.js';
export { checkCommandArguments, isSettingCommand } from './request-arguments.js';
export { readReplyFrame, parseReplyFrame, encodeResponse, encodeAck, encodeNak, type Pi30ReplyFrame, type Pi30Terminator } from './reply-frame.js';
export { decodeResponse, type Pi30DecodeOptions } from './decode.js';
export { splitFields } from './fields.js';
export { decodeQpigs, decodeQpigs2, DEVICE_STATUS_BITS, DEVICE_STATUS2_BITS, type QpigsReading, type Qpigs2Reading, type DeviceStatus, type DeviceStatus2 } from './qpigs.js';
export { decodeQpiri, type QpiriReading } from './qpiri.js';
export { decodeQpiws, qpiwsBitName, legacyQpiwsStatus, type QpiwsReading, type Severity, type LegacyStatus } from './qpiws.js';
export { decodeQmod, decodeQflag, decodeCurrentOptions, qflagName, QFLAG_LETTERS, type QmodReading, type QflagReading } from './status.js';
export { decodeQ1 } from './q1.js';
export { decodeQdi } from './qdi.js';
export { decodeQpgs, isQpgsCommand } from './qpgs.js';
export {
  BATTERY_TYPES,
  CHARGER_PRIORITY_TABLES,
  CHARGER_SOURCE_PRIORITIES,
  OUTPUT_SOURCE_PRIORITIES,
  MODE_NAMES,
  CHARGE_STATUS_NAMES,
  type BatteryType,
  type ChargerPriorityTable,
} from './enums.js';
export { LEGACY_COLUMNS, legacyRow, legacyQpigs, legacyQpiri, legacyQmod, legacyQpiws, legacyQ1, type LegacyRow, type LegacyTable } from './legacy.js';
export {
  buildSettingCommand,
  SETTABLE_BATTERY_TYPES,
  PI30_FLAG_NAMES,
  type Pi30Setting,
  type Pi30FlagName,
  type SettableBatteryType,
  type VoltageSettingKind,
  type BatteryNominalV,
  type SettingOptions,
} from './settings.js';
export { Pi30FrameAssembler, DEFAULT_MAX_FRAME_BYTES } from './assembler.js';
