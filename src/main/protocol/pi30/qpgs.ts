/** QPGSn, one unit of a parallel system (protocols.md §1.5). */
import { ok, type Result } from '../../../shared/result.js';
import { bitString, decodePositional, digits, flag01, int, letter, num, type FieldSpec } from './fields.js';

const FIELDS: readonly FieldSpec[] = [
  flag01('parallelUnitExists'),
  digits('serialNumber'),
  letter('workMode'),
  digits('faultCode'),
  num('gridVoltageV'),
  num('gridFrequencyHz'),
  num('acOutputVoltageV'),
  num('acOutputFrequencyHz'),
  num('acOutputApparentPowerVA'),
  num('acOutputActivePowerW'),
  num('loadPct'),
  num('batteryVoltageV'),
  num('batteryChargingCurrentA'),
  num('batteryCapacityPct'),
  num('pvInputVoltageV'),
  num('totalChargingCurrentA'),
  num('totalAcOutputApparentPowerVA'),
  num('totalOutputActivePowerW'),
  num('totalAcOutputLoadPct'),
  bitString('inverterStatusBits', 8),
  int('outputMode'),
  int('chargerSourcePriority'),
  num('maxChargingCurrentA'),
  num('maxChargingCurrentRangeA'),
  num('maxAcChargingCurrentA'),
  num('pvInputCurrentA'),
  num('batteryDischargeCurrentA'),
  // MAX and 120 V split-phase units; meaning inferred from values.
  num('pv2InputVoltageV'),
  num('pv2InputCurrentA'),
];
const MIN_FIELDS = 27;

const BATTERY_STATUS: Readonly<Record<string, string>> = { '00': 'normal', '01': 'under', '10': 'open' };

export const isQpgsCommand = (command: string): boolean => /^QPGS\d$/.test(command);

export function decodeQpgs(command: string, fields: readonly string[]): Result<Record<string, unknown>> {
  const decoded = decodePositional(command, fields, FIELDS, MIN_FIELDS);
  if (!decoded.ok) return decoded;
  const reading: Record<string, unknown> = decoded.value.values;
  // Status bits, first character = b7: b7 sccOk, b6 acCharging, b5 sccCharging, b4b3 battery, b2 lineLoss, b1 loadOn, b0 configurationChanged.
  const bits = reading.inverterStatusBits as string;
  reading.inverterStatus = {
    sccOk: bits[0] === '1',
    acCharging: bits[1] === '1',
    sccCharging: bits[2] === '1',
    batteryStatus: BATTERY_STATUS[bits.slice(3, 5)] ?? 'unknown',
    lineLoss: bits[5] === '1',
    loadOn: bits[6] === '1',
    configurationChanged: bits[7] === '1',
  };
  reading.fieldCount = fields.length;
  if (decoded.value.extraFields.length > 0) reading.extraFields = decoded.value.extraFields;
  return ok(reading);
}
