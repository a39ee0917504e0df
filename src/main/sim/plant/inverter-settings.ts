/**
 * The inverter's EEPROM settings (what QPIRI, QFLAG and QDI report) and the PI30 setting commands
 * that change them, with the value ranges a 48 V Axpert firmware accepts (protocols.md §1.6). A
 * setting outside those ranges, a malformed number or an unknown command is refused (NAK), exactly as
 * the firmware would; what is *safe* for the battery is the controller's business, not the firmware's.
 */

export interface InverterSettings {
  gridRatingVoltageV: number;
  gridRatingCurrentA: number;
  acOutputRatingVoltageV: number;
  acOutputRatingFrequencyHz: number;
  acOutputRatingCurrentA: number;
  acOutputRatingApparentPowerVA: number;
  acOutputRatingActivePowerW: number;
  batteryRatingVoltageV: number;
  batteryRechargeVoltageV: number;
  batteryUnderVoltageV: number;
  batteryBulkVoltageV: number;
  batteryFloatVoltageV: number;
  /** 0 AGM, 1 flooded, 2 user. */
  batteryType: number;
  maxAcChargingCurrentA: number;
  maxChargingCurrentA: number;
  /** 0 appliance, 1 UPS. */
  inputVoltageRange: number;
  /** 0 utility first, 1 solar first, 2 SBU. */
  outputSourcePriority: number;
  /** 0 utility first, 1 solar first, 2 solar + utility, 3 solar only. */
  chargerSourcePriority: number;
  parallelMaxNumber: number | null;
  machineType: string;
  topology: number;
  outputMode: number;
  /** 0 = back to battery only when the battery is full. */
  batteryRedischargeVoltageV: number;
  pvOkCondition: number;
  pvPowerBalance: number;
  maxChargingTimeAtCvMin: number;
  operationLogic: number;
  /** QFLAG letters that are enabled; every other known letter is disabled. */
  enabledFlags: string;
}

/** Letters this model knows for PE/PD and reports in QFLAG. */
export const FLAG_LETTERS = 'abjkuvxyz';

/**
 * Factory defaults of the simulated 5 kW unit (what QDI reports and PF restores): a LiFePO4-friendly
 * "user" battery profile rather than the AGM profile real units ship with, so a fresh simulator can run
 * a 16S pack without first being configured.
 */
export const FACTORY_SETTINGS: Readonly<InverterSettings> = {
  gridRatingVoltageV: 230.0,
  gridRatingCurrentA: 21.7,
  acOutputRatingVoltageV: 230.0,
  acOutputRatingFrequencyHz: 50.0,
  acOutputRatingCurrentA: 21.7,
  acOutputRatingApparentPowerVA: 5000,
  acOutputRatingActivePowerW: 5000,
  batteryRatingVoltageV: 48.0,
  batteryRechargeVoltageV: 51.0,
  batteryUnderVoltageV: 48.0,
  batteryBulkVoltageV: 55.2,
  batteryFloatVoltageV: 54.0,
  batteryType: 2,
  maxAcChargingCurrentA: 30,
  maxChargingCurrentA: 80,
  inputVoltageRange: 0,
  outputSourcePriority: 2,
  chargerSourcePriority: 1,
  parallelMaxNumber: 9,
  machineType: '01',
  topology: 0,
  outputMode: 0,
  batteryRedischargeVoltageV: 53.0,
  pvOkCondition: 0,
  pvPowerBalance: 1,
  maxChargingTimeAtCvMin: 0,
  operationLogic: 0,
  enabledFlags: 'akxy',
};

/** QMCHGCR and QMUCHGCR of the simulated unit, A. */
export const CHARGING_CURRENT_OPTIONS_A: readonly number[] = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];
export const AC_CHARGING_CURRENT_OPTIONS_A: readonly number[] = [2, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];

export type SettingOutcome = { accepted: true; settings: InverterSettings } | { accepted: false };

const refuse: SettingOutcome = { accepted: false };

/** Exactly `nn.n` (two digits, a point, one digit), as the firmware parses it. */
function volts(text: string): number | null {
  return /^\d\d\.\d$/.test(text) ? Number(text) : null;
}

function code(text: string, max: number): number | null {
  if (!/^\d\d$/.test(text)) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

const inRange = (value: number | null, min: number, max: number): value is number => value !== null && value >= min - 1e-9 && value <= max + 1e-9;

/**
 * Apply one PI30 setting command (command text without CRC/CR, e.g. `PBFT53.7`) to the settings.
 * Pure: returns the new settings, or a refusal.
 */
export function applySettingCommand(current: Readonly<InverterSettings>, commandText: string): SettingOutcome {
  const next: InverterSettings = { ...current };
  const match = /^(POP|PCP|PPCP|MNCHGC|MCHGC|MUCHGC|PCVV|PBFT|PBCV|PBDV|PSDV|PBT|PGR|PE|PD|PF|F)(.*)$/.exec(commandText);
  if (!match) return refuse;
  const [, name, arg = ''] = match;
  switch (name) {
    case 'POP': {
      const value = code(arg, 2);
      if (value === null) return refuse;
      next.outputSourcePriority = value;
      break;
    }
    case 'PCP': {
      const value = code(arg, 3);
      if (value === null) return refuse;
      next.chargerSourcePriority = value;
      break;
    }
    case 'PPCP': {
      // A single unit is parallel unit 0.
      const value = arg.startsWith('0') ? code(arg.slice(1), 3) : null;
      if (value === null) return refuse;
      next.chargerSourcePriority = value;
      break;
    }
    case 'MCHGC':
    case 'MNCHGC': {
      const digits = name === 'MCHGC' ? 3 : 4;
      if (!new RegExp(`^0\\d{${digits - 1}}$`).test(arg)) return refuse;
      const amps = Number(arg.slice(1));
      if (!CHARGING_CURRENT_OPTIONS_A.includes(amps) || (name === 'MCHGC') !== amps < 100) return refuse;
      next.maxChargingCurrentA = amps;
      break;
    }
    case 'MUCHGC': {
      // `nnn` (older firmware) or `mnnn` with parallel unit 0.
      if (!/^\d{3}$/.test(arg) && !/^0\d{3}$/.test(arg)) return refuse;
      const amps = Number(arg.length === 4 ? arg.slice(1) : arg);
      if (!AC_CHARGING_CURRENT_OPTIONS_A.includes(amps)) return refuse;
      next.maxAcChargingCurrentA = amps;
      break;
    }
    case 'PCVV':
    case 'PBFT': {
      const value = volts(arg);
      if (!inRange(value, 48.0, 58.4)) return refuse;
      if (name === 'PCVV') next.batteryBulkVoltageV = value;
      else next.batteryFloatVoltageV = value;
      break;
    }
    case 'PBCV': {
      const value = volts(arg);
      if (!inRange(value, 44, 51) || !Number.isInteger(value)) return refuse;
      next.batteryRechargeVoltageV = value;
      break;
    }
    case 'PBDV': {
      const value = volts(arg);
      if (value === null || !(value === 0 || (inRange(value, 48, 58) && Number.isInteger(value)))) return refuse;
      next.batteryRedischargeVoltageV = value;
      break;
    }
    case 'PSDV': {
      const value = volts(arg);
      if (!inRange(value, 40.0, 48.0)) return refuse;
      next.batteryUnderVoltageV = value;
      break;
    }
    case 'PBT': {
      const value = code(arg, 2);
      if (value === null) return refuse;
      next.batteryType = value;
      break;
    }
    case 'PGR': {
      const value = code(arg, 1);
      if (value === null) return refuse;
      next.inputVoltageRange = value;
      break;
    }
    case 'PE':
    case 'PD': {
      if (arg.length === 0 || [...arg].some((letter) => !FLAG_LETTERS.includes(letter))) return refuse;
      const enabled = new Set(next.enabledFlags);
      for (const letter of arg) {
        if (name === 'PE') enabled.add(letter);
        else enabled.delete(letter);
      }
      next.enabledFlags = [...FLAG_LETTERS].filter((letter) => enabled.has(letter)).join('');
      break;
    }
    case 'PF':
      if (arg !== '') return refuse;
      return { accepted: true, settings: { ...FACTORY_SETTINGS } };
    case 'F': {
      if (arg !== '50' && arg !== '60') return refuse;
      next.acOutputRatingFrequencyHz = Number(arg);
      break;
    }
    default:
      return refuse;
  }
  return { accepted: true, settings: next };
}
