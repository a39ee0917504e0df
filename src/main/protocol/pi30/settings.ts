/**
 * Setting commands (protocols.md §1.6) built from domain values, refusing anything the firmware does
 * not document. These are the firmware's accepted ranges; what is safe for the installed pack is the
 * command queue's business.
 */
import { fail, ok, type Result } from '../../../shared/result.js';
import { CHARGER_SOURCE_PRIORITIES, OUTPUT_SOURCE_PRIORITIES, type ChargerSourcePriority, type OutputSourcePriority } from '../../../shared/series.js';
import { QFLAG_LETTERS } from './status.js';

export const SETTABLE_BATTERY_TYPES = ['agm', 'flooded', 'user'] as const;
export type SettableBatteryType = (typeof SETTABLE_BATTERY_TYPES)[number];

export const PI30_FLAG_NAMES = Object.keys(QFLAG_LETTERS) as readonly Pi30FlagName[];
export type Pi30FlagName =
  | 'buzzer'
  | 'overloadBypass'
  | 'solarFeedToGrid'
  | 'powerSaving'
  | 'lcdEscapeToDefault'
  | 'dataLogPopup'
  | 'overloadRestart'
  | 'overTemperatureRestart'
  | 'backlight'
  | 'primarySourceInterruptAlarm'
  | 'faultCodeRecord';

export type VoltageSettingKind = 'bulkVoltage' | 'floatVoltage' | 'rechargeVoltage' | 'redischargeVoltage' | 'cutoffVoltage';

interface CurrentSetting {
  valueA: number;
  /** Parallel unit, 0 for a single inverter (the default). */
  parallelUnit?: number;
  /** The unit's own list (QMCHGCR / QMUCHGCR). Without it only the command's shape limits are checked. */
  allowedA?: readonly number[];
}

export type Pi30Setting =
  | { kind: 'outputSourcePriority'; value: OutputSourcePriority }
  | { kind: 'chargerSourcePriority'; value: ChargerSourcePriority }
  | ({ kind: 'maxChargingCurrent' } & CurrentSetting)
  | ({ kind: 'maxAcChargingCurrent' } & CurrentSetting)
  | { kind: VoltageSettingKind; valueV: number }
  | { kind: 'batteryType'; value: SettableBatteryType }
  | { kind: 'flag'; flag: Pi30FlagName; enabled: boolean };

export type BatteryNominalV = 12 | 24 | 48;

export interface SettingOptions {
  /** The inverter's battery voltage class (QPIRI batteryRatingVoltageV); default 48. */
  batteryNominalV?: BatteryNominalV;
}

/** A voltage window in tenths of a volt: min..max in steps, plus isolated extra values (PBDV 00.0). */
interface VoltageRule {
  minD: number;
  maxD: number;
  stepD: number;
  extraD?: readonly number[];
  source: string;
}

const range = (minV: number, maxV: number, stepV: number, source: string, extraV: number[] = []): VoltageRule => ({
  minD: Math.round(minV * 10),
  maxD: Math.round(maxV * 10),
  stepD: Math.round(stepV * 10),
  extraD: extraV.map((v) => Math.round(v * 10)),
  source,
});

/**
 * Where documents disagree, the range every document accepts (PCVV/PBFT 48.0-58.4 of HS/2015 rather
 * than MK's 63.0; PSDV 42.0 of MK rather than 40.0). Voltage classes a document does not give are refused.
 */
const VOLTAGE_RULES: Readonly<Record<VoltageSettingKind, { command: string; rules: Partial<Record<BatteryNominalV, VoltageRule>> }>> = {
  bulkVoltage: { command: 'PCVV', rules: { 48: range(48, 58.4, 0.1, 'C.V. voltage') } },
  floatVoltage: { command: 'PBFT', rules: { 48: range(48, 58.4, 0.1, 'float voltage') } },
  rechargeVoltage: {
    command: 'PBCV',
    rules: {
      48: range(44, 51, 1, 'back-to-utility voltage'),
      24: range(22, 25.5, 0.5, 'back-to-utility voltage'),
      12: range(11, 12.8, 0.1, 'back-to-utility voltage'),
    },
  },
  redischargeVoltage: {
    command: 'PBDV',
    rules: {
      48: range(48, 58, 1, 'back-to-battery voltage (0 = when full)', [0]),
      24: range(24, 29, 0.5, 'back-to-battery voltage (0 = when full)', [0]),
    },
  },
  cutoffVoltage: { command: 'PSDV', rules: { 48: range(42, 48, 0.1, 'cut-off voltage'), 24: range(21, 24, 0.1, 'cut-off voltage') } },
};

/** The command text for a setting, e.g. `PBFT53.7`, or `badArgument` naming the value and what is allowed. */
export function buildSettingCommand(setting: Pi30Setting, options: SettingOptions = {}): Result<string> {
  const nominal = options.batteryNominalV ?? 48;
  if (nominal !== 12 && nominal !== 24 && nominal !== 48) return fail('badArgument', `battery class ${String(nominal)} V is not 12, 24 or 48`);
  switch (setting.kind) {
    case 'outputSourcePriority':
      return enumCommand('POP', setting.value, OUTPUT_SOURCE_PRIORITIES);
    case 'chargerSourcePriority':
      return enumCommand('PCP', setting.value, CHARGER_SOURCE_PRIORITIES);
    case 'batteryType':
      return enumCommand('PBT', setting.value, SETTABLE_BATTERY_TYPES);
    case 'maxChargingCurrent':
      return chargingCurrentCommand(setting);
    case 'maxAcChargingCurrent':
      return acChargingCurrentCommand(setting);
    case 'flag':
      return flagCommand(setting.flag, setting.enabled);
    case 'bulkVoltage':
    case 'floatVoltage':
    case 'rechargeVoltage':
    case 'redischargeVoltage':
    case 'cutoffVoltage':
      return voltageCommand(setting.kind, setting.valueV, nominal);
    default:
      return fail('badArgument', `unknown setting kind ${JSON.stringify((setting as { kind?: unknown }).kind)}`);
  }
}

function enumCommand(command: string, value: string, names: readonly string[]): Result<string> {
  const code = names.indexOf(value);
  if (code < 0) return fail('badArgument', `${command}: ${JSON.stringify(value)} is not one of ${names.join(', ')}`);
  return ok(`${command}${String(code).padStart(2, '0')}`);
}

function voltageCommand(kind: VoltageSettingKind, valueV: number, nominal: BatteryNominalV): Result<string> {
  const { command, rules } = VOLTAGE_RULES[kind];
  const rule = rules[nominal];
  if (!rule) return fail('badArgument', `${command}: no documented range for a ${nominal} V unit`);
  const allowed = describeRule(rule);
  if (typeof valueV !== 'number' || !Number.isFinite(valueV)) return fail('badArgument', `${command}: ${String(valueV)} is not a voltage; allowed ${allowed}`);
  const tenths = Math.round(valueV * 10);
  if (Math.abs(valueV * 10 - tenths) > 1e-6) return fail('badArgument', `${command}: ${valueV} V has more than one decimal; allowed ${allowed}`);
  const inRange = tenths >= rule.minD && tenths <= rule.maxD && (tenths - rule.minD) % rule.stepD === 0;
  if (!inRange && !rule.extraD?.includes(tenths)) return fail('badArgument', `${command}: ${valueV} V is not allowed; ${allowed}`);
  return ok(`${command}${formatTenths(tenths)}`);
}

/** nn.n exactly: `53.7`, `00.0`. */
const formatTenths = (tenths: number): string => `${String(Math.floor(tenths / 10)).padStart(2, '0')}.${tenths % 10}`;

function describeRule(rule: VoltageRule): string {
  const extra = rule.extraD?.length ? `${rule.extraD.map((d) => `${formatTenths(d)} V`).join(', ')} or ` : '';
  return `${rule.source}: ${extra}${formatTenths(rule.minD)}-${formatTenths(rule.maxD)} V in ${rule.stepD / 10} V steps`;
}

function checkCurrent(command: string, setting: CurrentSetting, maxA: number): Result<{ unit: number; amps: number }> {
  const unit = setting.parallelUnit ?? 0;
  if (!Number.isInteger(unit) || unit < 0 || unit > 9) return fail('badArgument', `${command}: parallel unit ${String(unit)} is not 0-9`);
  const amps = setting.valueA;
  if (!Number.isInteger(amps) || amps < 1 || amps > maxA) return fail('badArgument', `${command}: ${String(amps)} A is not a whole number of amps from 1 to ${maxA}`);
  if (setting.allowedA && !setting.allowedA.includes(amps)) {
    return fail('badArgument', `${command}: ${amps} A is not among the unit's allowed values ${setting.allowedA.join(', ')} A`);
  }
  return ok({ unit, amps });
}

/** MCHGC<mnn> below 100 A, MNCHGC<mnnn> from 100 A. */
function chargingCurrentCommand(setting: CurrentSetting): Result<string> {
  const checked = checkCurrent('MCHGC', setting, 999);
  if (!checked.ok) return checked;
  const { unit, amps } = checked.value;
  return ok(amps < 100 ? `MCHGC${unit}${String(amps).padStart(2, '0')}` : `MNCHGC${unit}${String(amps).padStart(3, '0')}`);
}

/**
 * MUCHGC<mnn>. 100 A and more is refused: the older `<nnn>` form would read as parallel unit 1 on
 * firmware that expects `<mnn>` (MUCHGC100 = unit 1, 00 A), and no MNUCHGC is documented.
 */
function acChargingCurrentCommand(setting: CurrentSetting): Result<string> {
  if (typeof setting.valueA === 'number' && setting.valueA >= 100) {
    return fail('badArgument', `MUCHGC: ${setting.valueA} A is refused: from 100 A the command is ambiguous (MUCHGC100 reads as parallel unit 1, 00 A); allowed 1-99 A`);
  }
  const checked = checkCurrent('MUCHGC', setting, 99);
  if (!checked.ok) return checked;
  return ok(`MUCHGC${checked.value.unit}${String(checked.value.amps).padStart(2, '0')}`);
}

function flagCommand(flag: string, enabled: boolean): Result<string> {
  const letter = Object.hasOwn(QFLAG_LETTERS, flag) ? QFLAG_LETTERS[flag] : undefined;
  if (letter === undefined) return fail('badArgument', `PE/PD: unknown flag ${JSON.stringify(flag)}; allowed ${PI30_FLAG_NAMES.join(', ')}`);
  return ok(`${enabled ? 'PE' : 'PD'}${letter}`);
}
