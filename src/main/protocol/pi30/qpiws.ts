/** QPIWS, warning and fault bits (protocols.md §1.5), bit 0 first. */
import { fail, ok, type Result } from '../../../shared/result.js';
import { describeBytes } from './text.js';

type BitClass = 'fault' | 'warning' | 'info' | 'faultWithInverterFault';

const BITS: readonly (readonly [name: string, cls: BitClass])[] = [
  ['pvLoss', 'info'],
  ['inverterFault', 'fault'],
  ['busOver', 'fault'],
  ['busUnder', 'fault'],
  ['busSoftFail', 'fault'],
  ['lineFail', 'warning'],
  ['opvShort', 'warning'],
  ['inverterVoltageTooLow', 'fault'],
  ['inverterVoltageTooHigh', 'fault'],
  ['overTemperature', 'faultWithInverterFault'],
  ['fanLocked', 'faultWithInverterFault'],
  ['batteryVoltageHigh', 'faultWithInverterFault'],
  ['batteryLowAlarm', 'warning'],
  ['reserved13', 'info'],
  ['batteryUnderShutdown', 'warning'],
  ['batteryDerating', 'warning'],
  ['overLoad', 'faultWithInverterFault'],
  ['eepromFault', 'warning'],
  ['inverterOverCurrent', 'fault'],
  ['inverterSoftFail', 'fault'],
  ['selfTestFail', 'fault'],
  ['opDcVoltageOver', 'fault'],
  ['batteryOpen', 'fault'],
  ['currentSensorFail', 'fault'],
  ['batteryShort', 'fault'],
  ['powerLimit', 'warning'],
  ['pvVoltageHigh', 'warning'],
  ['mpptOverloadFault', 'warning'],
  ['mpptOverloadWarning', 'warning'],
  ['batteryTooLowToCharge', 'warning'],
  ['bit30', 'info'],
  ['bit31', 'info'],
  ['bit32', 'info'],
  ['lowPvEnergy', 'info'],
  ['highAcInputDuringBusSoftStart', 'info'],
  ['batteryEqualization', 'info'],
];

/** The name of bit `index`; bits past the documented 36 are `bit36`, `bit37`, … */
export const qpiwsBitName = (index: number): string => BITS[index]?.[0] ?? `bit${index}`;

const MIN_BITS = 32;
const MAX_BITS = 64;
const INVERTER_FAULT_BIT = 1;

export type Severity = 'fault' | 'warning' | 'ok';
export type LegacyStatus = 'FAULT!!!' | 'WARNING!' | 'OK';

export interface QpiwsReading {
  warningBits: string;
  bitCount: number;
  /** Every bit set, by name, faults, warnings and information alike. */
  activeFlags: string[];
  faults: string[];
  warnings: string[];
  severity: Severity;
  /** The original installation's classification (QPIWS var2). */
  legacyStatus: LegacyStatus;
}

export function decodeQpiws(payload: string): Result<QpiwsReading> {
  if (payload.length < MIN_BITS || payload.length > MAX_BITS || !/^[01]+$/.test(payload)) {
    return fail('unexpectedField', `QPIWS reply ${describeBytes(payload)} is not ${MIN_BITS}-${MAX_BITS} characters 0/1`);
  }
  const inverterFault = payload[INVERTER_FAULT_BIT] === '1';
  const activeFlags: string[] = [];
  const faults: string[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < payload.length; i++) {
    if (payload[i] !== '1') continue;
    const name = qpiwsBitName(i);
    activeFlags.push(name);
    const cls = BITS[i]?.[1] ?? 'info';
    if (cls === 'fault' || (cls === 'faultWithInverterFault' && inverterFault)) faults.push(name);
    else if (cls === 'warning' || cls === 'faultWithInverterFault') warnings.push(name);
  }
  const severity: Severity = faults.length > 0 ? 'fault' : warnings.length > 0 ? 'warning' : 'ok';
  return ok({ warningBits: payload, bitCount: payload.length, activeFlags, faults, warnings, severity, legacyStatus: legacyQpiwsStatus(payload) });
}

const LEGACY_FAULT_BITS = [1, 2, 3, 4, 7, 8, 18, 19, 20, 21, 22, 23, 24];
const LEGACY_WARNING_BITS = [5, 6, 9, 10, 11, 12, 14, 15, 16, 17, 25, 26, 27, 28, 29];

/** The original installation's rule: these indices fault, these warn, all others (0, 13, 30+) ignored. */
export function legacyQpiwsStatus(bitText: string): LegacyStatus {
  if (LEGACY_FAULT_BITS.some((i) => bitText[i] === '1')) return 'FAULT!!!';
  if (LEGACY_WARNING_BITS.some((i) => bitText[i] === '1')) return 'WARNING!';
  return 'OK';
}
