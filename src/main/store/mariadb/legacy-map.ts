/**
 * The inverse of protocols.md §5: one row of the original installation's tables (created + varN) back
 * to the sample a voltmon driver would have produced for it, so imported history looks like live data
 * (names with codes beside them, derived QPIGS powers, the BMS bit strings as fields).
 */
import type { Result } from '../../../shared/result.js';
import type { FieldValue, Sample } from '../../../shared/samples.js';
import { derivedQpigsValues } from '../../devices/inverter/qpigs-derived.js';
import { toSampleValues } from '../../devices/core/sample-values.js';
import { DALY_LEGACY_PACK_CAPACITY_AH, DALY_LEGACY_SOC_K1, DALY_STATE_NAMES, dalyActiveAlarms } from '../../protocol/daly/index.js';
import { SDM230_LEGACY_FIELDS } from '../../protocol/mbmd/index.js';
import {
  BATTERY_TYPES,
  CHARGE_STATUS_NAMES,
  CHARGER_SOURCE_PRIORITIES,
  decodeQmod,
  decodeQpiws,
  LEGACY_COLUMNS,
  OUTPUT_SOURCE_PRIORITIES,
} from '../../protocol/pi30/index.js';

export const LEGACY_TABLES = ['QPIGS', 'QPIRI', 'QMOD', 'QPIWS', 'Q1', 'BMS', 'SDM230'] as const;
export type LegacyTableName = (typeof LEGACY_TABLES)[number];

/** How many varN columns each table had. */
export const LEGACY_VAR_COUNT: Record<LegacyTableName, number> = { QPIGS: 16, QPIRI: 26, QMOD: 1, QPIWS: 2, Q1: 27, BMS: 49, SDM230: 13 };

/** `var1`.. as read from MariaDB: numbers (FLOAT), text (VARCHAR/CHAR) or null. */
export type LegacyVars = Readonly<Record<string, unknown>>;

const BMS_SOURCE = 'BMS';
const METER_SOURCE = 'sdm230';
const K2 = -DALY_LEGACY_SOC_K1 * 100;

export function legacyRowToSample(table: LegacyTableName, tsMs: number, vars: LegacyVars): Result<Sample, string> {
  try {
    switch (table) {
      case 'QPIGS':
        return sample('inverter', 'QPIGS', tsMs, qpigs(vars));
      case 'QPIRI':
        return sample('inverter', 'QPIRI', tsMs, toSampleValues(qpiri(vars)));
      case 'QMOD': {
        const decoded = decodeQmod(text(vars, 1));
        if (!decoded.ok) return { ok: false, error: decoded.error.message };
        return sample('inverter', 'QMOD', tsMs, toSampleValues({ ...decoded.value }));
      }
      case 'QPIWS': {
        const decoded = decodeQpiws(text(vars, 1));
        if (!decoded.ok) return { ok: false, error: decoded.error.message };
        return sample('inverter', 'QPIWS', tsMs, toSampleValues({ ...decoded.value }));
      }
      case 'Q1':
        return sample('inverter', 'Q1', tsMs, toSampleValues(q1(vars)));
      case 'BMS':
        return sample('bms', BMS_SOURCE, tsMs, toSampleValues(bms(vars)));
      case 'SDM230':
        return sample('meter', METER_SOURCE, tsMs, fieldsFrom(vars, SDM230_LEGACY_FIELDS, SDM230_LEGACY_FIELDS.length));
    }
  } catch (err) {
    if (err instanceof LegacyValueError) return { ok: false, error: err.message };
    throw err;
  }
}

class LegacyValueError extends Error {}

const sample = (device: Sample['device'], source: string, tsMs: number, values: Record<string, FieldValue>): Result<Sample, string> => ({
  ok: true,
  value: { device, source, tsMs, values },
});

function number(vars: LegacyVars, n: number, required = true): number | null {
  const raw = vars[`var${n}`];
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (!required && (raw === null || raw === undefined)) return null;
  throw new LegacyValueError(`var${n} is ${raw === undefined ? 'missing' : JSON.stringify(raw)}, expected a number`);
}

function text(vars: LegacyVars, n: number): string {
  const raw = vars[`var${n}`];
  if (typeof raw === 'string') return raw.trim();
  throw new LegacyValueError(`var${n} is ${raw === undefined ? 'missing' : JSON.stringify(raw)}, expected text`);
}

/** var1.. -> fields in order; the first `required` must be numbers, the rest may be NULL. */
function fieldsFrom(vars: LegacyVars, fields: readonly string[], required: number): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  fields.forEach((field, i) => {
    const value = number(vars, i + 1, i < required);
    if (value !== null) out[field] = value;
  });
  return out;
}

/** The codec's naming of a code (codes outside the table are `unknown`, as the codecs name them). */
const named = (names: readonly string[], code: number | null): string | null =>
  code === null ? null : Number.isInteger(code) && code >= 0 && code < names.length ? (names[code] ?? 'unknown') : 'unknown';

/** FLOAT columns give back 52.099998 for 52.1: the device's resolution is restored. */
const round = (value: number, decimals: number): number => Math.round(value * 10 ** decimals) / 10 ** decimals;

function qpigs(vars: LegacyVars): Record<string, FieldValue> {
  const values = fieldsFrom(vars, LEGACY_COLUMNS.QPIGS, LEGACY_COLUMNS.QPIGS.length);
  return { ...values, ...derivedQpigsValues(values) };
}

function qpiri(vars: LegacyVars): Record<string, unknown> {
  const fields = LEGACY_COLUMNS.QPIRI;
  const decoded: Record<string, unknown> = fieldsFrom(vars, fields, fields.length - 1);
  const code = (field: string) => (typeof decoded[field] === 'number' ? (decoded[field] as number) : null);
  decoded.batteryTypeName = named(BATTERY_TYPES, code('batteryType'));
  decoded.outputSourcePriorityName = named(OUTPUT_SOURCE_PRIORITIES, code('outputSourcePriority'));
  decoded.chargerSourcePriorityName = named(CHARGER_SOURCE_PRIORITIES, code('chargerSourcePriority'));
  // Stored as a number (01 -> 1); the device sends two digits.
  const machine = code('machineType');
  if (machine !== null) decoded.machineType = String(Math.round(machine)).padStart(2, '0');
  return decoded;
}

function q1(vars: LegacyVars): Record<string, unknown> {
  const fields = LEGACY_COLUMNS.Q1;
  const decoded: Record<string, unknown> = fieldsFrom(vars, fields, 17);
  const warning = decoded.parallelWarning;
  if (typeof warning === 'number') decoded.parallelWarning = String(Math.round(warning)).padStart(4, '0');
  const status = decoded.inverterChargeStatus;
  if (typeof status === 'number') decoded.inverterChargeStatusName = CHARGE_STATUS_NAMES[status] ?? 'unknown';
  return decoded;
}

/** `00010010` (bit 7 first) -> its byte. */
function bitsToByte(bits: string, column: string): number {
  if (!/^[01]{8}$/.test(bits)) throw new LegacyValueError(`${column} is ${JSON.stringify(bits)}, expected 8 characters 0/1`);
  return Number.parseInt(bits, 2);
}

function bms(vars: LegacyVars): Record<string, unknown> {
  const v = (n: number) => number(vars, n) as number;
  const bit = (n: number) => v(n) === 1;
  const stateCode = Math.round(v(13));
  const dioBits = bitsToByte(text(vars, 22), 'var22');
  const balance = text(vars, 41);
  if (!/^[01]{64}$/.test(balance)) throw new LegacyValueError(`var41 is ${JSON.stringify(balance)}, expected 64 characters 0/1`);
  const balanceBytes = Array.from({ length: 8 }, (_, i) => Number.parseInt(balance.slice(i * 8, i * 8 + 8), 2));
  const alarmBytes = Array.from({ length: 7 }, (_, i) => bitsToByte(text(vars, 42 + i), `var${42 + i}`));
  const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  const socPct = round((v(4) - K2) / (1 + DALY_LEGACY_SOC_K1), 1);
  const capacityPct = ((v(17) * 100) / DALY_LEGACY_PACK_CAPACITY_AH - K2) / (1 + DALY_LEGACY_SOC_K1);
  return {
    totalVoltageV: round(v(1), 1),
    acquisitionVoltageV: round(v(2), 1),
    currentA: round(v(3), 1),
    socPct,
    maxCellVoltageV: round(v(5), 3),
    maxCellNumber: v(6),
    minCellVoltageV: round(v(7), 3),
    minCellNumber: v(8),
    maxTemperatureC: v(9),
    maxTemperatureSensor: v(10),
    minTemperatureC: v(11),
    minTemperatureSensor: v(12),
    state: stateCode,
    stateName: named(DALY_STATE_NAMES, stateCode),
    chargeMosOn: bit(14),
    dischargeMosOn: bit(15),
    bmsLifeCycles: v(16),
    remainingCapacityAh: round((capacityPct * DALY_LEGACY_PACK_CAPACITY_AH) / 100, 3),
    cellCount: v(18),
    temperatureSensorCount: v(19),
    chargerConnected: bit(20),
    loadConnected: bit(21),
    dioBits,
    dio: Object.fromEntries(['di1', 'di2', 'di3', 'di4', 'do1', 'do2', 'do3', 'do4'].map((name, i) => [name, ((dioBits >> i) & 1) === 1])),
    cycleCount: v(23),
    cellVoltagesV: Array.from({ length: 16 }, (_, i) => round(v(24 + i), 3)),
    temperaturesC: [v(40)],
    balanceBitsHex: hex(balanceBytes),
    // protocols.md §2.9: byte 0 bit 0 is cell 1.
    balancingCells: balanceBytes.flatMap((byte, i) => Array.from({ length: 8 }, (_, b) => ((byte >> b) & 1 ? i * 8 + b + 1 : 0))).filter((c) => c > 0 && c <= 48),
    alarmBytesHex: hex(alarmBytes),
    activeAlarms: dalyActiveAlarms(Uint8Array.from(alarmBytes)),
    faultCode: v(49),
  };
}
