/** QPIGS, general status (protocols.md §1.5), and QPIGS2, the second PV input. */
import { ok, type Result } from '../../../shared/result.js';
import { bitString, decodePositional, digits, flag01, int, namedBits, num, scaledNum, signedNum, textField, type FieldSpec } from './fields.js';

const FIELDS: readonly FieldSpec[] = [
  num('gridVoltageV'),
  num('gridFrequencyHz'),
  num('acOutputVoltageV'),
  num('acOutputFrequencyHz'),
  num('acOutputApparentPowerVA'),
  num('acOutputActivePowerW'),
  num('outputLoadPct'),
  num('busVoltageV'),
  num('batteryVoltageV'),
  num('batteryChargingCurrentA'),
  num('batteryCapacityPct'),
  signedNum('heatSinkTemperatureC'),
  num('pvInputCurrentA'),
  num('pvInputVoltageV'),
  num('batteryVoltageFromSccV'),
  num('batteryDischargeCurrentA'),
  bitString('deviceStatusBits', 8),
  scaledNum('fanOffsetVoltageV', 0.01),
  textField('eepromVersion'),
  num('pvChargingPowerW'),
  bitString('deviceStatus2Bits', 3),
  flag01('solarFeedToGridActive'),
  digits('countryRegulationCode'),
  num('solarFeedToGridPowerW'),
];

/** The HS/MS 2014 document stops after the status bits. */
const MIN_FIELDS = 17;

/** `deviceStatusBits`, first character = b7. */
export const DEVICE_STATUS_BITS = [
  'sbuPriorityVersion',
  'configurationChanged',
  'sccFirmwareUpdated',
  'loadOn',
  'batteryVoltageSteady',
  'charging',
  'sccCharging',
  'acCharging',
] as const;

/** `deviceStatus2Bits`, first character = b10. */
export const DEVICE_STATUS2_BITS = ['chargingToFloat', 'switchedOn', 'dustproofInstalled'] as const;

export type DeviceStatus = Record<(typeof DEVICE_STATUS_BITS)[number], boolean>;
export type DeviceStatus2 = Record<(typeof DEVICE_STATUS2_BITS)[number], boolean>;

/** Numbers are null where the unit sends `-` (does not have the field). Optional keys exist only when sent. */
export interface QpigsReading {
  gridVoltageV: number | null;
  gridFrequencyHz: number | null;
  acOutputVoltageV: number | null;
  acOutputFrequencyHz: number | null;
  acOutputApparentPowerVA: number | null;
  acOutputActivePowerW: number | null;
  outputLoadPct: number | null;
  busVoltageV: number | null;
  batteryVoltageV: number | null;
  batteryChargingCurrentA: number | null;
  batteryCapacityPct: number | null;
  /** °C on most units; an NTC A/D count on 1-3 kVA models (the codec cannot tell). */
  heatSinkTemperatureC: number | null;
  pvInputCurrentA: number | null;
  pvInputVoltageV: number | null;
  batteryVoltageFromSccV: number | null;
  batteryDischargeCurrentA: number | null;
  deviceStatusBits: string;
  deviceStatus: DeviceStatus;
  fanOffsetVoltageV?: number | null;
  eepromVersion?: string;
  pvChargingPowerW?: number | null;
  deviceStatus2Bits?: string;
  deviceStatus2?: DeviceStatus2;
  solarFeedToGridActive?: boolean;
  countryRegulationCode?: string;
  solarFeedToGridPowerW?: number | null;
  fieldCount: number;
  extraFields?: string[];
}

export function decodeQpigs(fields: readonly string[]): Result<QpigsReading> {
  const decoded = decodePositional('QPIGS', fields, FIELDS, MIN_FIELDS);
  if (!decoded.ok) return decoded;
  const { values, extraFields } = decoded.value;
  const reading = values as unknown as QpigsReading;
  reading.deviceStatus = namedBits(reading.deviceStatusBits, DEVICE_STATUS_BITS) as DeviceStatus;
  if (reading.deviceStatus2Bits !== undefined) {
    reading.deviceStatus2 = namedBits(reading.deviceStatus2Bits, DEVICE_STATUS2_BITS) as DeviceStatus2;
  }
  reading.fieldCount = fields.length;
  if (extraFields.length > 0) reading.extraFields = extraFields;
  return ok(reading);
}

const QPIGS2_FIELDS: readonly FieldSpec[] = [num('pv2InputCurrentA'), num('pv2InputVoltageV'), int('pv2ChargingPowerW')];

/** The 13-field three-tracker layout of the 2015 document: no capture, field order unconfirmed. */
const QPIGS2_THREE_TRACKER_FIELDS = 13;

export interface Qpigs2Reading {
  pv2InputCurrentA?: number | null;
  pv2InputVoltageV?: number | null;
  pv2ChargingPowerW?: number | null;
  fieldCount: number;
  extraFields?: string[];
}

export function decodeQpigs2(fields: readonly string[]): Result<Qpigs2Reading> {
  if (fields.length >= QPIGS2_THREE_TRACKER_FIELDS) return ok({ fieldCount: fields.length, extraFields: [...fields] });
  const decoded = decodePositional('QPIGS2', fields, QPIGS2_FIELDS, QPIGS2_FIELDS.length);
  if (!decoded.ok) return decoded;
  const reading = decoded.value.values as unknown as Qpigs2Reading;
  reading.fieldCount = fields.length;
  if (decoded.value.extraFields.length > 0) reading.extraFields = decoded.value.extraFields;
  return ok(reading);
}
