/** Q1, undocumented internal status (protocols.md §1.5); names from reverse engineering. */
import { ok, type Result } from '../../../shared/result.js';
import { CHARGE_STATUS_NAMES } from './enums.js';
import { decodePositional, digits, int, num, signedNum, type FieldSpec } from './fields.js';

const BASE_FIELDS: readonly FieldSpec[] = [
  int('timeUntilAbsorbEndS'),
  int('timeUntilFloatEndS'),
  int('sccOkFlag'),
  int('allowSccOnFlag'),
  num('chargeAverageCurrentA'),
  signedNum('sccPwmTemperatureC'),
  signedNum('inverterTemperatureC'),
  signedNum('batteryTemperatureC'),
  signedNum('transformerTemperatureC'),
  int('parallelMode'),
  int('fanLockStatus'),
  int('fanPwmDuty'),
  int('fanSpeedPct'),
  int('sccChargePowerW'),
  digits('parallelWarning'),
  num('syncFrequencyHz'),
  int('inverterChargeStatus'),
];

/** Fields 17-26 match the QBEQI equalisation layout value for value; named only in the 27-field form. */
const EQUALIZATION_FIELDS: readonly FieldSpec[] = [
  int('equalizationEnabled'),
  int('equalizationTimeMin'),
  int('equalizationPeriodDays'),
  int('equalizationMaxCurrentA'),
  int('equalizationReserved1'),
  num('equalizationVoltageV'),
  int('equalizationReserved2'),
  int('equalizationOverTimeMin'),
  int('equalizationActive'),
  int('equalizationElapsedH'),
];
const EQUALIZATION_FORM = BASE_FIELDS.length + EQUALIZATION_FIELDS.length;

/** 13-field replies are reported too; fewer is not a Q1 reply. */
const MIN_FIELDS = 13;

export function decodeQ1(fields: readonly string[]): Result<Record<string, unknown>> {
  const specs = fields.length >= EQUALIZATION_FORM ? [...BASE_FIELDS, ...EQUALIZATION_FIELDS] : BASE_FIELDS;
  const decoded = decodePositional('Q1', fields, specs, MIN_FIELDS);
  if (!decoded.ok) return decoded;
  const reading: Record<string, unknown> = decoded.value.values;
  if ('inverterChargeStatus' in reading) {
    const code = reading.inverterChargeStatus;
    reading.inverterChargeStatusName = code === null ? null : (CHARGE_STATUS_NAMES[code as number] ?? 'unknown');
  }
  reading.fieldCount = fields.length;
  if (decoded.value.extraFields.length > 0) reading.extraFields = decoded.value.extraFields;
  return ok(reading);
}
