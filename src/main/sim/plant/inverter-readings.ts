/**
 * What the inverter reports, named as in protocols.md §1.5: QPIGS, QPIRI, QMOD, QPIWS, Q1, QFLAG and
 * QDI values, built from the inverter's state and its last measurements. Numbers are in the units of
 * their names; the device simulator formats them with the firmware's field widths.
 */
import { CHARGER_SOURCE_PRIORITIES, OUTPUT_SOURCE_PRIORITIES } from '../../../shared/series.js';
import type { InverterModel } from './inverter.js';
import { FACTORY_SETTINGS, FLAG_LETTERS, type InverterSettings } from './inverter-settings.js';

export interface DeviceStatus {
  sbuPriorityVersion: boolean;
  configurationChanged: boolean;
  sccFirmwareUpdated: boolean;
  loadOn: boolean;
  batteryVoltageSteady: boolean;
  charging: boolean;
  sccCharging: boolean;
  acCharging: boolean;
}

export interface DeviceStatus2 {
  chargingToFloat: boolean;
  switchedOn: boolean;
  dustproofInstalled: boolean;
}

export interface QpigsReading {
  gridVoltageV: number;
  gridFrequencyHz: number;
  acOutputVoltageV: number;
  acOutputFrequencyHz: number;
  acOutputApparentPowerVA: number;
  acOutputActivePowerW: number;
  outputLoadPct: number;
  busVoltageV: number;
  batteryVoltageV: number;
  batteryChargingCurrentA: number;
  batteryCapacityPct: number;
  heatSinkTemperatureC: number;
  pvInputCurrentA: number;
  pvInputVoltageV: number;
  batteryVoltageFromSccV: number;
  batteryDischargeCurrentA: number;
  deviceStatusBits: string;
  deviceStatus: DeviceStatus;
  fanOffsetVoltageV: number;
  eepromVersion: string;
  pvChargingPowerW: number;
  deviceStatus2Bits: string;
  deviceStatus2: DeviceStatus2;
}

export type QpiriReading = Omit<InverterSettings, 'enabledFlags'> & {
  outputSourcePriorityName: string;
  chargerSourcePriorityName: string;
};

export type ModeLetter = 'L' | 'B' | 'S' | 'F';

export const MODE_NAMES: Record<ModeLetter, string> = { L: 'line', B: 'battery', S: 'standby', F: 'fault' };

/** QPIWS bit indices the simulated unit raises (protocols.md §1.5). */
export const WARNING_BIT = {
  pvLoss: 0,
  inverterFault: 1,
  lineFail: 5,
  batteryLowAlarm: 12,
  batteryUnderShutdown: 14,
  overLoad: 16,
} as const;

export const WARNING_BIT_COUNT = 36;

export interface Q1Reading {
  timeUntilAbsorbEndS: number;
  timeUntilFloatEndS: number;
  sccOkFlag: number;
  allowSccOnFlag: number;
  chargeAverageCurrentA: number;
  sccPwmTemperatureC: number;
  inverterTemperatureC: number;
  batteryTemperatureC: number;
  transformerTemperatureC: number;
  parallelMode: number;
  fanLockStatus: number;
  fanPwmDuty: number;
  fanSpeedPct: number;
  sccChargePowerW: number;
  parallelWarning: string;
  syncFrequencyHz: number;
  /** 10 not charging, 11 bulk, 12 absorb, 13 float. */
  inverterChargeStatus: number;
  equalizationEnabled: number;
  equalizationTimeMin: number;
  equalizationPeriodDays: number;
  equalizationMaxCurrentA: number;
  equalizationReserved1: number;
  equalizationVoltageV: number;
  equalizationReserved2: number;
  equalizationOverTimeMin: number;
  equalizationActive: number;
  equalizationElapsedH: number;
}

export interface QflagReading {
  enabledLetters: string;
  disabledLetters: string;
}

/** QDI: the factory defaults, in protocols.md's QDI order. */
export interface QdiReading {
  acOutputVoltageV: number;
  acOutputFrequencyHz: number;
  maxAcChargingCurrentA: number;
  batteryUnderVoltageV: number;
  batteryFloatVoltageV: number;
  batteryBulkVoltageV: number;
  batteryRechargeVoltageV: number;
  maxChargingCurrentA: number;
  inputVoltageRange: number;
  outputSourcePriority: number;
  chargerSourcePriority: number;
  batteryType: number;
  buzzerSilenced: number;
  powerSaving: number;
  overloadRestart: number;
  overTemperatureRestart: number;
  backlight: number;
  primarySourceInterruptAlarm: number;
  faultCodeRecord: number;
  overloadBypass: number;
  lcdEscapeToDefault: number;
  outputMode: number;
  batteryRedischargeVoltageV: number;
  pvOkCondition: number;
  pvPowerBalance: number;
  maxChargingTimeAtCvMin: number;
}

/** Maximum-power-point voltage of the simulated string (10 modules of ~31 V). */
const PV_MPP_VOLTAGE_V = 312;
const LOAD_POWER_FACTOR = 0.93;

const round = (value: number, decimals: number): number => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

export function qpigsOf(inverter: InverterModel): QpigsReading {
  const snap = inverter.last;
  const s = inverter.settings;
  const flow = snap?.flow;
  const mode = inverter.mode;
  const outputOn = mode === 'L' || mode === 'B';
  const loadW = flow?.loadServedW ?? 0;
  const apparentVA = loadW / LOAD_POWER_FACTOR;
  const batteryV = snap?.batteryVoltageV ?? 0;
  const currentA = snap?.batteryCurrentA ?? 0;
  const pvUsedW = flow?.pvUsedW ?? 0;
  const pvLight = (snap?.pvAvailableW ?? 0) > 1;
  // Curtailed PV sits nearer its open-circuit voltage; in darkness the string reads nothing.
  const pvVoltageV = pvLight ? PV_MPP_VOLTAGE_V * (pvUsedW < (snap?.pvAvailableW ?? 0) * 0.9 ? 1.15 : 1) : 0;
  const charging = currentA > 0.5;
  const status: DeviceStatus = {
    sbuPriorityVersion: false,
    configurationChanged: inverter.configurationChanged,
    sccFirmwareUpdated: false,
    loadOn: outputOn && loadW > 0,
    batteryVoltageSteady: charging && inverter.stage !== 'bulk',
    charging,
    sccCharging: (flow?.pvChargeW ?? 0) > 1,
    acCharging: (flow?.acChargeW ?? 0) > 1,
  };
  const status2: DeviceStatus2 = { chargingToFloat: charging && inverter.stage === 'float', switchedOn: true, dustproofInstalled: false };
  const gridV = snap?.gridAtInput ? snap.gridVoltageV : 0;
  return {
    gridVoltageV: round(gridV, 1),
    gridFrequencyHz: snap?.gridAtInput ? round(snap.gridFrequencyHz, 1) : 0,
    acOutputVoltageV: outputOn ? round(mode === 'L' ? gridV : 230.0, 1) : 0,
    acOutputFrequencyHz: outputOn ? round(mode === 'L' && snap ? snap.gridFrequencyHz : s.acOutputRatingFrequencyHz, 1) : 0,
    acOutputApparentPowerVA: Math.round(apparentVA),
    acOutputActivePowerW: Math.round(loadW),
    outputLoadPct: Math.round(100 * Math.max(loadW / s.acOutputRatingActivePowerW, apparentVA / s.acOutputRatingApparentPowerVA)),
    busVoltageV: outputOn || pvLight ? Math.round(372 + (pvUsedW > 0 ? 18 : 0) + loadW / 400) : 0,
    batteryVoltageV: round(batteryV, 2),
    batteryChargingCurrentA: Math.round(Math.max(0, currentA)),
    batteryCapacityPct: Math.round(
      Math.min(100, Math.max(0, (100 * (batteryV - s.batteryUnderVoltageV)) / (s.batteryFloatVoltageV - s.batteryUnderVoltageV))),
    ),
    heatSinkTemperatureC: Math.round(inverter.heatSinkTemperatureC),
    pvInputCurrentA: pvVoltageV > 0 ? round(pvUsedW / pvVoltageV, 1) : 0,
    pvInputVoltageV: round(pvVoltageV, 1),
    batteryVoltageFromSccV: pvUsedW > 0 ? round(batteryV + 0.05, 2) : 0,
    batteryDischargeCurrentA: Math.round(Math.max(0, -currentA)),
    deviceStatusBits: bits([
      status.sbuPriorityVersion,
      status.configurationChanged,
      status.sccFirmwareUpdated,
      status.loadOn,
      status.batteryVoltageSteady,
      status.charging,
      status.sccCharging,
      status.acCharging,
    ]),
    deviceStatus: status,
    fanOffsetVoltageV: 0,
    eepromVersion: '00',
    pvChargingPowerW: Math.round(pvUsedW),
    deviceStatus2Bits: bits([status2.chargingToFloat, status2.switchedOn, status2.dustproofInstalled]),
    deviceStatus2: status2,
  };
}

export function qpiriOf(settings: InverterSettings): QpiriReading {
  const { enabledFlags: _flags, ...rest } = settings;
  return {
    ...rest,
    outputSourcePriorityName: OUTPUT_SOURCE_PRIORITIES[settings.outputSourcePriority] ?? 'unknown',
    chargerSourcePriorityName: CHARGER_SOURCE_PRIORITIES[settings.chargerSourcePriority] ?? 'unknown',
  };
}

/** QPIWS bit string, bit 0 first. */
export function warningBitsOf(inverter: InverterModel): string {
  const snap = inverter.last;
  const set = new Set<number>();
  if ((snap?.pvAvailableW ?? 0) < 1) set.add(WARNING_BIT.pvLoss);
  if (inverter.mode === 'F') set.add(WARNING_BIT.inverterFault);
  if (snap && !snap.gridAtInput) set.add(WARNING_BIT.lineFail);
  if (inverter.mode === 'B' && snap && snap.batteryVoltageV < inverter.settings.batteryUnderVoltageV + 1) set.add(WARNING_BIT.batteryLowAlarm);
  if (inverter.lowBatteryShutdown) set.add(WARNING_BIT.batteryUnderShutdown);
  if (inverter.isOverloaded() && (inverter.mode === 'B' || inverter.mode === 'F')) set.add(WARNING_BIT.overLoad);
  return Array.from({ length: WARNING_BIT_COUNT }, (_, i) => (set.has(i) ? '1' : '0')).join('');
}

export function q1Of(inverter: InverterModel): Q1Reading {
  const snap = inverter.last;
  const currentA = snap?.batteryCurrentA ?? 0;
  const heatSinkC = Math.round(inverter.heatSinkTemperatureC);
  const absorbLimitS = inverter.settings.maxChargingTimeAtCvMin > 0 ? inverter.settings.maxChargingTimeAtCvMin * 60 : 7200;
  const chargeStatus = currentA <= 0.5 ? 10 : inverter.stage === 'bulk' ? 11 : inverter.stage === 'absorb' ? 12 : 13;
  return {
    timeUntilAbsorbEndS: inverter.stage === 'absorb' ? Math.max(0, Math.round(absorbLimitS - inverter.absorbElapsedMs / 1000)) : 0,
    timeUntilFloatEndS: 0,
    sccOkFlag: 1,
    allowSccOnFlag: (snap?.pvAvailableW ?? 0) > 1 ? 1 : 0,
    chargeAverageCurrentA: Math.round(Math.max(0, currentA)),
    sccPwmTemperatureC: heatSinkC - 3,
    inverterTemperatureC: heatSinkC,
    batteryTemperatureC: heatSinkC - 6,
    transformerTemperatureC: heatSinkC - 2,
    parallelMode: 0,
    fanLockStatus: 0,
    fanPwmDuty: 0,
    fanSpeedPct: Math.round(Math.min(100, Math.max(20, (heatSinkC - 30) * 4))),
    sccChargePowerW: Math.round(snap?.flow.pvChargeW ?? 0),
    parallelWarning: '0000',
    syncFrequencyHz: snap?.gridAtInput ? round(snap.gridFrequencyHz, 2) : 0,
    inverterChargeStatus: chargeStatus,
    equalizationEnabled: 0,
    equalizationTimeMin: 60,
    equalizationPeriodDays: 30,
    equalizationMaxCurrentA: 100,
    equalizationReserved1: 30,
    equalizationVoltageV: 58.4,
    equalizationReserved2: 0,
    equalizationOverTimeMin: 120,
    equalizationActive: 0,
    equalizationElapsedH: 0,
  };
}

export function qflagOf(settings: InverterSettings): QflagReading {
  return {
    enabledLetters: settings.enabledFlags,
    disabledLetters: [...FLAG_LETTERS].filter((letter) => !settings.enabledFlags.includes(letter)).join(''),
  };
}

export function qdiOf(): QdiReading {
  const f = FACTORY_SETTINGS;
  const flag = (letter: string) => (f.enabledFlags.includes(letter) ? 1 : 0);
  return {
    acOutputVoltageV: f.acOutputRatingVoltageV,
    acOutputFrequencyHz: f.acOutputRatingFrequencyHz,
    maxAcChargingCurrentA: f.maxAcChargingCurrentA,
    batteryUnderVoltageV: f.batteryUnderVoltageV,
    batteryFloatVoltageV: f.batteryFloatVoltageV,
    batteryBulkVoltageV: f.batteryBulkVoltageV,
    batteryRechargeVoltageV: f.batteryRechargeVoltageV,
    maxChargingCurrentA: f.maxChargingCurrentA,
    inputVoltageRange: f.inputVoltageRange,
    outputSourcePriority: f.outputSourcePriority,
    chargerSourcePriority: f.chargerSourcePriority,
    batteryType: f.batteryType,
    buzzerSilenced: 1 - flag('a'),
    powerSaving: flag('j'),
    overloadRestart: flag('u'),
    overTemperatureRestart: flag('v'),
    backlight: flag('x'),
    primarySourceInterruptAlarm: flag('y'),
    faultCodeRecord: flag('z'),
    overloadBypass: flag('b'),
    lcdEscapeToDefault: flag('k'),
    outputMode: f.outputMode,
    batteryRedischargeVoltageV: f.batteryRedischargeVoltageV,
    pvOkCondition: f.pvOkCondition,
    pvPowerBalance: f.pvPowerBalance,
    maxChargingTimeAtCvMin: f.maxChargingTimeAtCvMin,
  };
}

function bits(flags: boolean[]): string {
  return flags.map((on) => (on ? '1' : '0')).join('');
}
