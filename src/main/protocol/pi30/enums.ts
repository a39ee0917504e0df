/** PI30 enumerations, named as protocols.md names them; index = the device's code. */
import { CHARGER_SOURCE_PRIORITIES, OUTPUT_SOURCE_PRIORITIES, type ChargerSourcePriority } from '../../../shared/series.js';

export { CHARGER_SOURCE_PRIORITIES, OUTPUT_SOURCE_PRIORITIES };

/** QPIRI batteryType / PBT. Codes 3-9 exist on newer firmware only. */
export const BATTERY_TYPES = [
  'agm',
  'flooded',
  'user',
  'pylontech',
  'shinheung',
  'weco',
  'soltaro',
  'tbd',
  'libProtocol',
  'thirdPartyLithium',
] as const;
export type BatteryType = (typeof BATTERY_TYPES)[number];

/**
 * How a unit numbers its charger source priority in QPIRI:
 * - `pcp` (default): the numbering of the PCP command and of every PI30 document,
 *   0 utilityFirst, 1 solarFirst, 2 solarAndUtility, 3 solarOnly.
 * - `lcdMenu`: the order of LCD program 16 on units without a utility-first option (CSO, SNU, OSO),
 *   0 solarFirst, 1 solarAndUtility, 2 solarOnly. Reported for PowMR/SMG-type units whose readback is
 *   shifted by one against PCP; choose it only when the unit's readback disagrees with its display.
 */
export const CHARGER_PRIORITY_TABLES = {
  pcp: CHARGER_SOURCE_PRIORITIES,
  lcdMenu: ['solarFirst', 'solarAndUtility', 'solarOnly'],
} as const satisfies Record<string, readonly ChargerSourcePriority[]>;
export type ChargerPriorityTable = keyof typeof CHARGER_PRIORITY_TABLES;

/** QMOD letters. */
export const MODE_NAMES: Readonly<Record<string, string>> = {
  P: 'powerOn',
  S: 'standby',
  L: 'line',
  B: 'battery',
  F: 'fault',
  H: 'powerSaving',
  D: 'shutdown',
  C: 'charge',
  Y: 'bypass',
  E: 'eco',
};

/** Q1 inverterChargeStatus, codes 10-13. */
export const CHARGE_STATUS_NAMES: Readonly<Record<number, string>> = {
  10: 'noCharging',
  11: 'bulk',
  12: 'absorb',
  13: 'float',
};
