/** QPIRI, rated values and current settings (protocols.md §1.5). */
import { fail, ok, type Result } from '../../../shared/result.js';
import { BATTERY_TYPES, CHARGER_PRIORITY_TABLES, OUTPUT_SOURCE_PRIORITIES, type ChargerPriorityTable } from './enums.js';
import { decodePositional, digits, enumName, int, num, type FieldSpec } from './fields.js';

const FIELDS: readonly FieldSpec[] = [
  num('gridRatingVoltageV'),
  num('gridRatingCurrentA'),
  num('acOutputRatingVoltageV'),
  num('acOutputRatingFrequencyHz'),
  num('acOutputRatingCurrentA'),
  num('acOutputRatingApparentPowerVA'),
  num('acOutputRatingActivePowerW'),
  num('batteryRatingVoltageV'),
  num('batteryRechargeVoltageV'),
  num('batteryUnderVoltageV'),
  num('batteryBulkVoltageV'),
  num('batteryFloatVoltageV'),
  int('batteryType'),
  int('maxAcChargingCurrentA'),
  int('maxChargingCurrentA'),
  int('inputVoltageRange'),
  int('outputSourcePriority'),
  int('chargerSourcePriority'),
  int('parallelMaxNumber'),
  digits('machineType'),
  int('topology'),
  int('outputMode'),
  num('batteryRedischargeVoltageV'),
  int('pvOkCondition'),
  int('pvPowerBalance'),
];
const MIN_FIELDS = FIELDS.length;

/** MK/MAX extensions, named only when every one present fits: integer, one digit, integer. */
const EXTENSIONS: readonly { name: string; shape: RegExp }[] = [
  { name: 'maxChargingTimeAtCvMin', shape: /^\d{1,6}$/ },
  { name: 'operationLogic', shape: /^\d$/ },
  { name: 'maxDischargingCurrentA', shape: /^\d{1,6}$/ },
];

export interface QpiriReading {
  gridRatingVoltageV: number | null;
  gridRatingCurrentA: number | null;
  acOutputRatingVoltageV: number | null;
  acOutputRatingFrequencyHz: number | null;
  acOutputRatingCurrentA: number | null;
  acOutputRatingApparentPowerVA: number | null;
  acOutputRatingActivePowerW: number | null;
  batteryRatingVoltageV: number | null;
  batteryRechargeVoltageV: number | null;
  batteryUnderVoltageV: number | null;
  batteryBulkVoltageV: number | null;
  batteryFloatVoltageV: number | null;
  batteryType: number | null;
  batteryTypeName: string | null;
  maxAcChargingCurrentA: number | null;
  maxChargingCurrentA: number | null;
  inputVoltageRange: number | null;
  outputSourcePriority: number | null;
  outputSourcePriorityName: string | null;
  chargerSourcePriority: number | null;
  chargerSourcePriorityName: string | null;
  parallelMaxNumber: number | null;
  machineType: string;
  topology: number | null;
  outputMode: number | null;
  batteryRedischargeVoltageV: number | null;
  pvOkCondition: number | null;
  pvPowerBalance: number | null;
  maxChargingTimeAtCvMin?: number;
  operationLogic?: number;
  maxDischargingCurrentA?: number;
  fieldCount: number;
  extraFields?: string[];
}

export function decodeQpiri(fields: readonly string[], table: ChargerPriorityTable = 'pcp'): Result<QpiriReading> {
  if (!Object.hasOwn(CHARGER_PRIORITY_TABLES, table)) return fail('badArgument', `unknown charger priority table ${JSON.stringify(table)}`);
  const decoded = decodePositional('QPIRI', fields, FIELDS, MIN_FIELDS);
  if (!decoded.ok) return decoded;
  const reading = decoded.value.values as unknown as QpiriReading;
  reading.batteryTypeName = enumName(BATTERY_TYPES, reading.batteryType);
  reading.outputSourcePriorityName = enumName(OUTPUT_SOURCE_PRIORITIES, reading.outputSourcePriority);
  reading.chargerSourcePriorityName = enumName(CHARGER_PRIORITY_TABLES[table], reading.chargerSourcePriority);
  reading.fieldCount = fields.length;

  let extras = decoded.value.extraFields;
  const named = extras.slice(0, EXTENSIONS.length);
  if (named.length > 0 && named.every((token, i) => EXTENSIONS[i]?.shape.test(token))) {
    named.forEach((token, i) => {
      (reading as unknown as Record<string, number>)[(EXTENSIONS[i] as { name: string }).name] = Number(token);
    });
    extras = extras.slice(named.length);
  }
  if (extras.length > 0) reading.extraFields = extras;
  return ok(reading);
}
