/** Host -> BMS frames: reads (0x90-0x98) and the writes voltmon may send (MOS switches, SOC). */
import { fail, ok, type Result } from '../../../shared/result.js';
import { DALY_DATA_LENGTH, encodeDalyFrame } from './frame.js';

/**
 * The V1.2 document's "upper computer" address. The original installation used 0x80 on its UART
 * adapter and some BMSs answer only one of them, so every builder takes `address`.
 */
export const DALY_DEFAULT_HOST_ADDRESS = 0x40;

export const DALY_DATA_ID = {
  packStatus: 0x90,
  cellVoltageExtremes: 0x91,
  temperatureExtremes: 0x92,
  mosStatus: 0x93,
  statusInfo: 0x94,
  cellVoltages: 0x95,
  temperatures: 0x96,
  balancing: 0x97,
  failureStatus: 0x98,
  setDischargeMos: 0xd9,
  setChargeMos: 0xda,
  setSoc: 0x21,
} as const;

export interface DalyRequestOptions {
  /** Host address, default 0x40. */
  address?: number;
  /** Value of the don't-care data bytes, default 0x00 (dbus-serialbattery uses 0xAA). */
  filler?: number;
}

const isByte = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xff;

/** A read request. Throws RangeError when dataId, address or filler is not a byte (a programming error). */
export function encodeDalyRequest(dataId: number, options: DalyRequestOptions = {}): Uint8Array {
  const filler = options.filler ?? 0;
  if (!isByte(filler)) throw new RangeError(`Daly filler ${filler} is not a byte`);
  const data = new Uint8Array(DALY_DATA_LENGTH).fill(filler);
  return encodeDalyFrame(options.address ?? DALY_DEFAULT_HOST_ADDRESS, dataId, data);
}

function checkOptions(options: DalyRequestOptions): Result<{ address: number; filler: number }> {
  const address = options.address ?? DALY_DEFAULT_HOST_ADDRESS;
  const filler = options.filler ?? 0;
  if (!isByte(address)) return fail('badArgument', `Daly host address ${address} is not a byte (0-255)`);
  if (!isByte(filler)) return fail('badArgument', `Daly filler ${filler} is not a byte (0-255)`);
  return ok({ address, filler });
}

function encodeMos(dataId: number, on: unknown, options: DalyRequestOptions): Result<Uint8Array> {
  if (typeof on !== 'boolean') return fail('badArgument', `MOS state must be true or false, got ${String(on)}`);
  const checked = checkOptions(options);
  if (!checked.ok) return checked;
  const data = new Uint8Array(DALY_DATA_LENGTH).fill(checked.value.filler);
  data[0] = on ? 0x01 : 0x00;
  return ok(encodeDalyFrame(checked.value.address, dataId, data));
}

/** 0xDA: switch the charge MOSFET. Confirm the result by reading 0x93. */
export function encodeSetChargeMos(on: boolean, options: DalyRequestOptions = {}): Result<Uint8Array> {
  return encodeMos(DALY_DATA_ID.setChargeMos, on, options);
}

/** 0xD9: switch the discharge MOSFET. Confirm the result by reading 0x93. */
export function encodeSetDischargeMos(on: boolean, options: DalyRequestOptions = {}): Result<Uint8Array> {
  return encodeMos(DALY_DATA_ID.setDischargeMos, on, options);
}

/**
 * 0x21: set the SOC (0-100 %, sent in 0.1 % steps) and, when `date` is given, the BMS clock from the
 * date's local wall time (the BMS clock has no zone). Without a date the clock bytes are zero, as
 * python-daly-bms sends them.
 */
export function encodeSetSoc(socPct: number, date?: Date, options: DalyRequestOptions = {}): Result<Uint8Array> {
  if (typeof socPct !== 'number' || !Number.isFinite(socPct) || socPct < 0 || socPct > 100) {
    return fail('badArgument', `SOC ${String(socPct)} % is outside 0-100 %`);
  }
  const checked = checkOptions(options);
  if (!checked.ok) return checked;
  const data = new Uint8Array(DALY_DATA_LENGTH);
  if (date !== undefined) {
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) return fail('badArgument', 'the BMS clock date is not a valid date');
    const year = date.getFullYear() - 2000;
    if (year < 0 || year > 0xff) return fail('badArgument', `year ${date.getFullYear()} cannot be sent (2000-2255)`);
    data.set([year, date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()], 0);
  }
  const raw = Math.round(socPct * 10);
  data[6] = raw >> 8;
  data[7] = raw & 0xff;
  return ok(encodeDalyFrame(checked.value.address, DALY_DATA_ID.setSoc, data));
}
