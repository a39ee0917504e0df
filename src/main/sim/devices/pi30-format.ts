/**
 * PI30 reply payloads with the firmware's fixed field widths (protocols.md §1.5 and the captured
 * replies in the fixtures): `230.0 49.9 0161 …`. Values are clamped to what the width can hold, as a
 * fixed-width firmware printf effectively does.
 */
import type { Q1Reading, QdiReading, QflagReading, QpigsReading, QpiriReading } from '../plant/index.js';

/** Zero-padded fixed-point: `fixed(49.9, 2, 1)` → `49.9`, `fixed(0, 3, 1)` → `000.0`. */
export function fixed(value: number, integerDigits: number, decimals = 0): string {
  const max = 10 ** integerDigits - 10 ** -decimals;
  const clamped = Math.min(max, Math.max(0, Number.isFinite(value) ? value : 0));
  const text = clamped.toFixed(decimals);
  const width = integerDigits + (decimals > 0 ? decimals + 1 : 0);
  return text.padStart(width, '0');
}

const flag = (on: boolean | number): string => (on ? '1' : '0');

type OutputAndCvFields = Pick<QpiriReading & QdiReading, 'outputMode' | 'batteryRedischargeVoltageV' | 'pvOkCondition' | 'pvPowerBalance' | 'maxChargingTimeAtCvMin'>;

/** Five settings QPIRI and QDI (its factory defaults) both report, in this order and with these widths. */
function formatOutputAndCvFields(r: OutputAndCvFields): string[] {
  return [fixed(r.outputMode, 1), fixed(r.batteryRedischargeVoltageV, 2, 1), fixed(r.pvOkCondition, 1), fixed(r.pvPowerBalance, 1), fixed(r.maxChargingTimeAtCvMin, 3)];
}

export function formatQpigs(r: QpigsReading): string {
  return [
    fixed(r.gridVoltageV, 3, 1),
    fixed(r.gridFrequencyHz, 2, 1),
    fixed(r.acOutputVoltageV, 3, 1),
    fixed(r.acOutputFrequencyHz, 2, 1),
    fixed(r.acOutputApparentPowerVA, 4),
    fixed(r.acOutputActivePowerW, 4),
    fixed(r.outputLoadPct, 3),
    fixed(r.busVoltageV, 3),
    fixed(r.batteryVoltageV, 2, 2),
    fixed(r.batteryChargingCurrentA, 3),
    fixed(r.batteryCapacityPct, 3),
    fixed(r.heatSinkTemperatureC, 4),
    fixed(r.pvInputCurrentA, 2, 1),
    fixed(r.pvInputVoltageV, 3, 1),
    fixed(r.batteryVoltageFromSccV, 2, 2),
    fixed(r.batteryDischargeCurrentA, 5),
    r.deviceStatusBits,
    fixed(r.fanOffsetVoltageV * 100, 2),
    r.eepromVersion,
    fixed(r.pvChargingPowerW, 5),
    r.deviceStatus2Bits,
  ].join(' ');
}

export function formatQpiri(r: QpiriReading): string {
  return [
    fixed(r.gridRatingVoltageV, 3, 1),
    fixed(r.gridRatingCurrentA, 2, 1),
    fixed(r.acOutputRatingVoltageV, 3, 1),
    fixed(r.acOutputRatingFrequencyHz, 2, 1),
    fixed(r.acOutputRatingCurrentA, 2, 1),
    fixed(r.acOutputRatingApparentPowerVA, 4),
    fixed(r.acOutputRatingActivePowerW, 4),
    fixed(r.batteryRatingVoltageV, 2, 1),
    fixed(r.batteryRechargeVoltageV, 2, 1),
    fixed(r.batteryUnderVoltageV, 2, 1),
    fixed(r.batteryBulkVoltageV, 2, 1),
    fixed(r.batteryFloatVoltageV, 2, 1),
    fixed(r.batteryType, 1),
    fixed(r.maxAcChargingCurrentA, 3),
    fixed(r.maxChargingCurrentA, 3),
    fixed(r.inputVoltageRange, 1),
    fixed(r.outputSourcePriority, 1),
    fixed(r.chargerSourcePriority, 1),
    r.parallelMaxNumber === null ? '-' : fixed(r.parallelMaxNumber, 1),
    r.machineType,
    fixed(r.topology, 1),
    ...formatOutputAndCvFields(r),
    fixed(r.operationLogic, 1),
  ].join(' ');
}

export function formatQ1(r: Q1Reading): string {
  return [
    fixed(r.timeUntilAbsorbEndS, 5),
    fixed(r.timeUntilFloatEndS, 5),
    fixed(r.sccOkFlag, 2),
    fixed(r.allowSccOnFlag, 2),
    fixed(r.chargeAverageCurrentA, 2),
    fixed(r.sccPwmTemperatureC, 3),
    fixed(r.inverterTemperatureC, 3),
    fixed(r.batteryTemperatureC, 3),
    fixed(r.transformerTemperatureC, 3),
    fixed(r.parallelMode, 2),
    fixed(r.fanLockStatus, 2),
    fixed(r.fanPwmDuty, 3),
    fixed(r.fanSpeedPct, 4),
    fixed(r.sccChargePowerW, 4),
    r.parallelWarning,
    fixed(r.syncFrequencyHz, 2, 2),
    fixed(r.inverterChargeStatus, 2),
    fixed(r.equalizationEnabled, 1),
    fixed(r.equalizationTimeMin, 3),
    fixed(r.equalizationPeriodDays, 3),
    fixed(r.equalizationMaxCurrentA, 3),
    fixed(r.equalizationReserved1, 3),
    fixed(r.equalizationVoltageV, 2, 2),
    fixed(r.equalizationReserved2, 3),
    fixed(r.equalizationOverTimeMin, 3),
    fixed(r.equalizationActive, 1),
    fixed(r.equalizationElapsedH, 4),
  ].join(' ');
}

export function formatQflag(r: QflagReading): string {
  return `E${r.enabledLetters}D${r.disabledLetters}`;
}

export function formatQdi(r: QdiReading): string {
  return [
    fixed(r.acOutputVoltageV, 3, 1),
    fixed(r.acOutputFrequencyHz, 2, 1),
    fixed(r.maxAcChargingCurrentA, 4),
    fixed(r.batteryUnderVoltageV, 2, 1),
    fixed(r.batteryFloatVoltageV, 2, 1),
    fixed(r.batteryBulkVoltageV, 2, 1),
    fixed(r.batteryRechargeVoltageV, 2, 1),
    fixed(r.maxChargingCurrentA, r.maxChargingCurrentA >= 100 ? 3 : 2),
    flag(r.inputVoltageRange),
    fixed(r.outputSourcePriority, 1),
    fixed(r.chargerSourcePriority, 1),
    fixed(r.batteryType, 1),
    flag(r.buzzerSilenced),
    flag(r.powerSaving),
    flag(r.overloadRestart),
    flag(r.overTemperatureRestart),
    flag(r.backlight),
    flag(r.primarySourceInterruptAlarm),
    flag(r.faultCodeRecord),
    flag(r.overloadBypass),
    flag(r.lcdEscapeToDefault),
    ...formatOutputAndCvFields(r),
  ].join(' ');
}

export function formatCurrentOptions(optionsA: readonly number[]): string {
  return optionsA.map((a) => fixed(a, 3)).join(' ');
}
