/** QDI, factory defaults (protocols.md §1.5). */
import { ok, type Result } from '../../../shared/result.js';
import { decodePositional, int, num, type FieldSpec } from './fields.js';

const FIELDS: readonly FieldSpec[] = [
  num('acOutputVoltageV'),
  num('acOutputFrequencyHz'),
  int('maxAcChargingCurrentA'),
  num('batteryUnderVoltageV'),
  num('batteryFloatVoltageV'),
  num('batteryBulkVoltageV'),
  num('batteryRechargeVoltageV'),
  int('maxChargingCurrentA'),
  int('inputVoltageRange'),
  int('outputSourcePriority'),
  int('chargerSourcePriority'),
  int('batteryType'),
  // 0 = buzzer sounds; the documents contradict each other on this polarity.
  int('buzzerSilenced'),
  int('powerSaving'),
  int('overloadRestart'),
  int('overTemperatureRestart'),
  int('backlight'),
  int('primarySourceInterruptAlarm'),
  int('faultCodeRecord'),
  int('overloadBypass'),
  int('lcdEscapeToDefault'),
  int('outputMode'),
  num('batteryRedischargeVoltageV'),
  int('pvOkCondition'),
  int('pvPowerBalance'),
  // MK/MAX
  int('maxChargingTimeAtCvMin'),
  int('operationLogic'),
];
const MIN_FIELDS = 25;

export function decodeQdi(fields: readonly string[]): Result<Record<string, unknown>> {
  const decoded = decodePositional('QDI', fields, FIELDS, MIN_FIELDS);
  if (!decoded.ok) return decoded;
  const reading: Record<string, unknown> = decoded.value.values;
  reading.fieldCount = fields.length;
  if (decoded.value.extraFields.length > 0) reading.extraFields = decoded.value.extraFields;
  return ok(reading);
}
