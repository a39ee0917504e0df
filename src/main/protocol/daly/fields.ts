/** Meaning of the 8 data bytes of the single-frame replies 0x90-0x94, 0x97, 0x98 and the write echoes. */
import { fail, ok, type Result } from '../../../shared/result.js';
import { dalyActiveAlarms } from './alarms.js';
import { toHex } from './frame.js';

const u16 = (d: Uint8Array, i: number): number => ((d[i] ?? 0) << 8) | (d[i + 1] ?? 0);
const u32 = (d: Uint8Array, i: number): number => u16(d, i) * 0x10000 + u16(d, i + 2);
const byte = (d: Uint8Array, i: number): number => d[i] ?? 0;

/** The current offset: raw 30000 = 0 A. */
const CURRENT_ZERO_RAW = 30000;

export interface DalyPackStatus {
  totalVoltageV: number;
  acquisitionVoltageV: number;
  currentRaw: number;
  /** Positive = charging (unless `invertCurrent`). */
  currentA: number;
  socPct: number;
}

export function decodePackStatus(d: Uint8Array, invertCurrent = false): Result<DalyPackStatus> {
  const currentRaw = u16(d, 4);
  const charging = (CURRENT_ZERO_RAW - currentRaw) / 10;
  const value: DalyPackStatus = {
    totalVoltageV: u16(d, 0) / 10,
    acquisitionVoltageV: u16(d, 2) / 10,
    currentRaw,
    currentA: invertCurrent ? -charging : charging,
    socPct: u16(d, 6) / 10,
  };
  // A sleeping BMS answers zeros; no pack has 0 V and no SOC exceeds 100 %.
  if (value.totalVoltageV === 0) return fail('implausible', '0x90 reports a pack voltage of 0 V (BMS asleep or not measuring)');
  if (value.socPct > 100) return fail('implausible', `0x90 reports an SOC of ${value.socPct} %`);
  return ok(value);
}

export interface DalyCellVoltageExtremes {
  maxCellVoltageV: number;
  maxCellNumber: number;
  minCellVoltageV: number;
  minCellNumber: number;
}

export function decodeCellVoltageExtremes(d: Uint8Array): Result<DalyCellVoltageExtremes> {
  const value = {
    maxCellVoltageV: u16(d, 0) / 1000,
    maxCellNumber: byte(d, 2),
    minCellVoltageV: u16(d, 3) / 1000,
    minCellNumber: byte(d, 5),
  };
  if (value.maxCellVoltageV === 0) return fail('implausible', '0x91 reports a highest cell voltage of 0 V (BMS asleep)');
  return ok(value);
}

export interface DalyTemperatureExtremes {
  maxTemperatureC: number;
  maxTemperatureSensor: number;
  minTemperatureC: number;
  minTemperatureSensor: number;
}

export function decodeTemperatureExtremes(d: Uint8Array): Result<DalyTemperatureExtremes> {
  if (d.subarray(0, 4).every((b) => b === 0)) {
    return fail('implausible', '0x92 is all zeros: no sensor numbered 0 exists (BMS asleep)');
  }
  return ok({
    maxTemperatureC: byte(d, 0) - 40,
    maxTemperatureSensor: byte(d, 1),
    minTemperatureC: byte(d, 2) - 40,
    minTemperatureSensor: byte(d, 3),
  });
}

export const DALY_STATE_NAMES = ['idle', 'charging', 'discharging'] as const;
export type DalyStateName = (typeof DALY_STATE_NAMES)[number] | 'unknown';

export interface DalyMosStatus {
  state: number;
  stateName: DalyStateName;
  chargeMosOn: boolean;
  dischargeMosOn: boolean;
  bmsLifeCycles: number;
  remainingCapacityAh: number;
}

export function decodeMosStatus(d: Uint8Array): Result<DalyMosStatus> {
  const state = byte(d, 0);
  return ok({
    state,
    stateName: DALY_STATE_NAMES[state] ?? 'unknown',
    chargeMosOn: byte(d, 1) === 1,
    dischargeMosOn: byte(d, 2) === 1,
    bmsLifeCycles: byte(d, 3),
    remainingCapacityAh: u32(d, 4) / 1000,
  });
}

export interface DalyStatusInfo {
  cellCount: number;
  temperatureSensorCount: number;
  chargerConnected: boolean;
  loadConnected: boolean;
  dioBits: number;
  dio: { di1: boolean; di2: boolean; di3: boolean; di4: boolean; do1: boolean; do2: boolean; do3: boolean; do4: boolean };
  cycleCount: number;
}

export function decodeStatusInfo(d: Uint8Array): Result<DalyStatusInfo> {
  const dioBits = byte(d, 4);
  const bit = (n: number): boolean => ((dioBits >> n) & 1) === 1;
  const cellCount = byte(d, 0);
  if (cellCount === 0) return fail('implausible', '0x94 reports 0 cells (BMS asleep)');
  return ok({
    cellCount,
    temperatureSensorCount: byte(d, 1),
    chargerConnected: byte(d, 2) === 1,
    loadConnected: byte(d, 3) === 1,
    dioBits,
    dio: { di1: bit(0), di2: bit(1), di3: bit(2), di4: bit(3), do1: bit(4), do2: bit(5), do3: bit(6), do4: bit(7) },
    cycleCount: u16(d, 5),
  });
}

/** Bits 0-47 of the balance map are cells 1-48 (byte 0 bit 0 = cell 1); bits 48-63 are reserved. */
const BALANCE_CELL_BYTES = 6;

export interface DalyBalancing {
  balanceBitsHex: string;
  balancingCells: number[];
}

export function decodeBalancing(d: Uint8Array): Result<DalyBalancing> {
  const balancingCells: number[] = [];
  for (let i = 0; i < BALANCE_CELL_BYTES; i++) {
    for (let bit = 0; bit < 8; bit++) if ((byte(d, i) >> bit) & 1) balancingCells.push(i * 8 + bit + 1);
  }
  return ok({ balanceBitsHex: toHex(d), balancingCells });
}

export interface DalyFailureStatus {
  alarmBytesHex: string;
  activeAlarms: string[];
  faultCode: number;
}

export function decodeFailureStatus(d: Uint8Array): Result<DalyFailureStatus> {
  const alarmBytes = d.subarray(0, 7);
  return ok({ alarmBytesHex: toHex(alarmBytes), activeAlarms: dalyActiveAlarms(alarmBytes), faultCode: byte(d, 7) });
}

/** 0xD9/0xDA reply: byte 0 echoes the requested state (1 on, 0 off). */
export function decodeMosEcho(d: Uint8Array): Result<{ mosCommandEcho: number; dataHex: string }> {
  return ok({ mosCommandEcho: byte(d, 0), dataHex: toHex(d) });
}

/** 0x21 reply: byte 0 is 1 when the BMS accepted the SOC. */
export function decodeSetSocReply(d: Uint8Array): Result<{ accepted: boolean; dataHex: string }> {
  return ok({ accepted: byte(d, 0) === 1, dataHex: toHex(d) });
}
