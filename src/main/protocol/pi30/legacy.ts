/**
 * The rows the original installation stored in its MariaDB tables (protocols.md §5), reproduced from
 * the reply bytes the way its script derived them, quirks included: the reply reduced to digits, `.`
 * and spaces (letters, `_` and spaces for QMOD), split on single spaces, `varN` = the N-th token. CRC
 * bytes that happened to be digits were glued to the last token; an empty token (from a `-` field) or a
 * reply with too few tokens made the script fail, so no row (null).
 */
import { legacyQpiwsStatus } from './qpiws.js';

export type LegacyRow = Record<string, number | string>;

/** varN -> today's field name: `LEGACY_COLUMNS.QPIGS[0]` is var1. For the legacy-compatible views. */
export const LEGACY_COLUMNS = {
  QPIGS: [
    'gridVoltageV',
    'gridFrequencyHz',
    'acOutputVoltageV',
    'acOutputFrequencyHz',
    'acOutputApparentPowerVA',
    'acOutputActivePowerW',
    'outputLoadPct',
    'busVoltageV',
    'batteryVoltageV',
    'batteryChargingCurrentA',
    'batteryCapacityPct',
    'heatSinkTemperatureC',
    'pvInputCurrentA',
    'pvInputVoltageV',
    'batteryVoltageFromSccV',
    'batteryDischargeCurrentA',
  ],
  QPIRI: [
    'gridRatingVoltageV',
    'gridRatingCurrentA',
    'acOutputRatingVoltageV',
    'acOutputRatingFrequencyHz',
    'acOutputRatingCurrentA',
    'acOutputRatingApparentPowerVA',
    'acOutputRatingActivePowerW',
    'batteryRatingVoltageV',
    'batteryRechargeVoltageV',
    'batteryUnderVoltageV',
    'batteryBulkVoltageV',
    'batteryFloatVoltageV',
    'batteryType',
    'maxAcChargingCurrentA',
    'maxChargingCurrentA',
    'inputVoltageRange',
    'outputSourcePriority',
    'chargerSourcePriority',
    'parallelMaxNumber',
    'machineType',
    'topology',
    'outputMode',
    'batteryRedischargeVoltageV',
    'pvOkCondition',
    'pvPowerBalance',
    // Field 25; on a unit with unknown extra fields, the first extra.
    'maxChargingTimeAtCvMin',
  ],
  QMOD: ['mode'],
  QPIWS: ['warningBits', 'legacyStatus'],
  Q1: [
    'timeUntilAbsorbEndS',
    'timeUntilFloatEndS',
    'sccOkFlag',
    'allowSccOnFlag',
    'chargeAverageCurrentA',
    'sccPwmTemperatureC',
    'inverterTemperatureC',
    'batteryTemperatureC',
    'transformerTemperatureC',
    'parallelMode',
    'fanLockStatus',
    'fanPwmDuty',
    'fanSpeedPct',
    'sccChargePowerW',
    'parallelWarning',
    'syncFrequencyHz',
    'inverterChargeStatus',
    'equalizationEnabled',
    'equalizationTimeMin',
    'equalizationPeriodDays',
    'equalizationMaxCurrentA',
    'equalizationReserved1',
    'equalizationVoltageV',
    'equalizationReserved2',
    'equalizationOverTimeMin',
    'equalizationActive',
    'equalizationElapsedH',
  ],
} as const;
export type LegacyTable = keyof typeof LEGACY_COLUMNS;

const isLegacyTable = (command: string): command is LegacyTable => Object.hasOwn(LEGACY_COLUMNS, command);

function keep(frame: Uint8Array, wanted: (byte: number) => boolean): string {
  let out = '';
  for (const byte of frame) if (wanted(byte)) out += String.fromCharCode(byte);
  return out;
}

const isDigitDotSpace = (b: number): boolean => (b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x20;
const isLetterUnderscoreSpace = (b: number): boolean => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || b === 0x20;

const tokens = (frame: Uint8Array): string[] => keep(frame, isDigitDotSpace).split(' ');

/** What Python's float() accepts from a string of digits and dots; null where it raised. */
function pythonFloat(token: string): number | null {
  if (!/^(\d+\.?\d*|\.\d+)$/.test(token)) return null;
  const value = Number(token);
  return Number.isFinite(value) ? value : null;
}

function numericRow(frame: Uint8Array, columns: number): LegacyRow | null {
  const parts = tokens(frame);
  if (parts.length < columns) return null;
  const row: LegacyRow = {};
  for (let i = 0; i < columns; i++) {
    const value = pythonFloat(parts[i] as string);
    if (value === null) return null;
    row[`var${i + 1}`] = value;
  }
  return row;
}

export const legacyQpigs = (frame: Uint8Array): LegacyRow | null => numericRow(frame, LEGACY_COLUMNS.QPIGS.length);
export const legacyQpiri = (frame: Uint8Array): LegacyRow | null => numericRow(frame, LEGACY_COLUMNS.QPIRI.length);
export const legacyQ1 = (frame: Uint8Array): LegacyRow | null => numericRow(frame, LEGACY_COLUMNS.Q1.length);

/** A CRC byte that is a letter stays in the value, and a NAK reply was stored as `NAKss`. */
export const legacyQmod = (frame: Uint8Array): LegacyRow => ({ var1: keep(frame, isLetterUnderscoreSpace) });

export function legacyQpiws(frame: Uint8Array): LegacyRow {
  const bitText = tokens(frame)[0] as string;
  return { var1: bitText, var2: legacyQpiwsStatus(bitText) };
}

const ROW_BUILDERS: Record<LegacyTable, (frame: Uint8Array) => LegacyRow | null> = {
  QPIGS: legacyQpigs,
  QPIRI: legacyQpiri,
  QMOD: legacyQmod,
  QPIWS: legacyQpiws,
  Q1: legacyQ1,
};

/** The original row for a reply to `command`; null when it stored none; undefined when it had no such table. */
export function legacyRow(command: string, frame: Uint8Array): LegacyRow | null | undefined {
  return isLegacyTable(command) ? ROW_BUILDERS[command](frame) : undefined;
}
