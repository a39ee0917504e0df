/**
 * Words for the device's enumerations. The API carries protocols.md names (`sbu`, `solarOnly`); an
 * installer knows the LCD's abbreviations (USB, SUB, SBU), so both are shown where space allows.
 */
import type { ChargerSourcePriority, OutputSourcePriority } from '../../shared/series';

export const OUTPUT_PRIORITY_SHORT: Record<OutputSourcePriority, string> = {
  utilityFirst: 'USB',
  solarFirst: 'SUB',
  sbu: 'SBU',
};

export const OUTPUT_PRIORITY_LONG: Record<OutputSourcePriority, string> = {
  utilityFirst: 'Utility, solar, battery',
  solarFirst: 'Solar, utility, battery',
  sbu: 'Solar, battery, utility',
};

export const CHARGER_PRIORITY_LABEL: Record<ChargerSourcePriority, string> = {
  utilityFirst: 'Utility first',
  solarFirst: 'Solar first',
  solarAndUtility: 'Solar + utility',
  solarOnly: 'Only solar',
};

/** QMOD: by name (what the driver sends) or by letter (what older peers may send). */
const MODE_LABEL: Record<string, string> = {
  powerOn: 'Power on',
  standby: 'Standby',
  line: 'Line',
  battery: 'Battery',
  fault: 'Fault',
  powerSaving: 'Power saving',
  shutdown: 'Shutdown',
  charge: 'Charge',
  bypass: 'Bypass',
  eco: 'ECO',
};
const MODE_LETTER: Record<string, string> = { P: 'powerOn', S: 'standby', L: 'line', B: 'battery', F: 'fault', H: 'powerSaving', D: 'shutdown', C: 'charge', Y: 'bypass', E: 'eco' };

const SEVERITY_LABEL: Record<string, string> = { ok: 'OK', warning: 'Warning', fault: 'Fault' };

const BMS_STATE_LABEL: Record<string, string> = {
  '0': 'Idle',
  '1': 'Charging',
  '2': 'Discharging',
  idle: 'Idle',
  stationary: 'Idle',
  charging: 'Charging',
  discharging: 'Discharging',
};

const BATTERY_TYPE_LABEL: Record<string, string> = {
  agm: 'AGM',
  flooded: 'Flooded',
  user: 'User',
  pylontech: 'Pylontech',
  libProtocol: 'Lithium (protocol)',
  thirdPartyLithium: 'Lithium (third party)',
};

export const modeLabel = (mode: string): string => MODE_LABEL[MODE_LETTER[mode] ?? mode] ?? humanize(mode);

/** An enum series' value in words; unknown values are split from camelCase rather than hidden. */
export function enumLabel(series: string, value: string): string {
  switch (series) {
    case 'inverter.outputSourcePriority':
      return OUTPUT_PRIORITY_SHORT[value as OutputSourcePriority] ?? humanize(value);
    case 'inverter.chargerSourcePriority':
      return CHARGER_PRIORITY_LABEL[value as ChargerSourcePriority] ?? humanize(value);
    case 'inverter.mode':
      return modeLabel(value);
    case 'inverter.severity':
      return SEVERITY_LABEL[value] ?? humanize(value);
    case 'bms.state':
      return BMS_STATE_LABEL[value] ?? humanize(value);
    case 'inverter.batteryType':
      return BATTERY_TYPE_LABEL[value] ?? humanize(value);
    default:
      return humanize(value);
  }
}

/** `cellVoltHighL1` → `Cell volt high L1`; keeps words a person can read without a table. */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim();
  return words.length === 0 ? name : words.charAt(0).toUpperCase() + words.slice(1).toLowerCase().replace(/\bl([12])\b/g, 'L$1');
}

/** Daly alarm names: level 1 is a warning, level 2 a protection that opened a MOSFET. */
export function alarmLabel(name: string): { text: string; level: 'warning' | 'protection' | 'fault' } {
  const level = /L2$/.test(name) ? 'protection' : /L1$/.test(name) ? 'warning' : 'fault';
  const base = name.replace(/L[12]$/, '');
  const text = humanize(base)
    .replace(/\bvolt\b/gi, 'voltage')
    .replace(/\btemp\b/gi, 'temperature')
    .replace(/\bmos\b/gi, 'MOS')
    .replace(/\bsoc\b/gi, 'SOC')
    .replace(/\bafe\b/gi, 'AFE')
    .replace(/\beeprom\b/gi, 'EEPROM')
    .replace(/\brtc\b/gi, 'RTC');
  return { text: level === 'fault' ? text : `${text} (${level})`, level };
}

/** Comma-separated list series (`balancingCells`, `activeAlarms`) as their items. */
export function splitList(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** QPIWS flag names (protocols.md) in an owner's words where the camelCase name alone is cryptic. */
const INVERTER_FLAG_LABEL: Record<string, string> = {
  lineFail: 'Grid lost (line fail)',
  opvShort: 'Output short circuit',
  busOver: 'DC bus over voltage',
  busUnder: 'DC bus under voltage',
  busSoftFail: 'DC bus soft start failed',
  overLoad: 'Overload',
  eepromFault: 'EEPROM fault',
  opDcVoltageOver: 'DC voltage on the AC output',
  mpptOverloadFault: 'MPPT overload (fault)',
  mpptOverloadWarning: 'MPPT overload',
  pvVoltageHigh: 'PV voltage high',
  batteryTooLowToCharge: 'Battery too low to charge',
};

export const inverterFlagLabel = (name: string): string => INVERTER_FLAG_LABEL[name] ?? humanize(name);

/** The items of a flattened list series: `inverter.warnings[0]`, `[1]`… until the first missing one. */
export function listItems(live: (series: string) => unknown, prefix: string, max = 64): string[] {
  const items: string[] = [];
  for (let i = 0; i < max; i++) {
    const v = live(`${prefix}[${i}]`);
    if (typeof v !== 'string') break;
    items.push(v);
  }
  return items;
}
