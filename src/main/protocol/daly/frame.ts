/** Daly "A5" frames: 13 bytes = start flag, address, data id, length 0x08, 8 data bytes, sum checksum. */
import { fail, ok, type Result } from '../../../shared/result.js';

export const DALY_START_BYTE = 0xa5;
export const DALY_DATA_LENGTH = 8;
export const DALY_FRAME_LENGTH = 13;
/** Every reply from the BMS carries this address, whatever address the host used. */
export const DALY_BMS_ADDRESS = 0x01;

export interface DalyFrame {
  address: number;
  dataId: number;
  data: Uint8Array;
}

/** Low 8 bits of the sum of bytes [start, start + 12). */
export function dalyChecksum(bytes: Uint8Array, start = 0): number {
  let sum = 0;
  for (let i = start; i < start + DALY_FRAME_LENGTH - 1; i++) sum += bytes[i] ?? 0;
  return sum & 0xff;
}

const isByte = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xff;

/** Builds one frame. Throws RangeError for values that are not bytes or data that is not 8 bytes long. */
export function encodeDalyFrame(address: number, dataId: number, data: Uint8Array): Uint8Array {
  if (!isByte(address)) throw new RangeError(`Daly address ${address} is not a byte`);
  if (!isByte(dataId)) throw new RangeError(`Daly data id ${dataId} is not a byte`);
  if (data.length !== DALY_DATA_LENGTH) throw new RangeError(`Daly frames carry 8 data bytes, got ${data.length}`);
  const frame = new Uint8Array(DALY_FRAME_LENGTH);
  frame[0] = DALY_START_BYTE;
  frame[1] = address;
  frame[2] = dataId;
  frame[3] = DALY_DATA_LENGTH;
  frame.set(data, 4);
  frame[12] = dalyChecksum(frame);
  return frame;
}

export const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0').toUpperCase()}`;

/**
 * Checks the 13 bytes at `offset` as one frame (start flag, length byte, checksum) without looking at
 * its meaning. Bytes beyond the frame are the caller's business.
 */
export function readDalyFrameAt(bytes: Uint8Array, offset = 0): Result<DalyFrame> {
  const available = bytes.length - offset;
  if (available <= 0) return fail('truncated', 'no bytes: a Daly frame is 13 bytes');
  if (bytes[offset] !== DALY_START_BYTE) {
    return fail('badStartByte', `byte ${offset} is ${hex(bytes[offset] ?? 0)}, a Daly frame starts with 0xA5`);
  }
  if (available < DALY_FRAME_LENGTH) {
    return fail('truncated', `only ${available} of the 13 bytes of a Daly frame at byte ${offset}`);
  }
  const length = bytes[offset + 3] ?? 0;
  if (length !== DALY_DATA_LENGTH) {
    return fail('wrongLength', `data length byte is ${hex(length)}, Daly frames always carry 0x08`);
  }
  const expected = dalyChecksum(bytes, offset);
  const actual = bytes[offset + 12] ?? 0;
  if (expected !== actual) {
    return fail('checksum', `checksum ${hex(actual)} but the sum of the first 12 bytes is ${hex(expected)}`);
  }
  return ok({
    address: bytes[offset + 1] ?? 0,
    dataId: bytes[offset + 2] ?? 0,
    data: bytes.slice(offset + 4, offset + 12),
  });
}

/** A request as the BMS (or the simulator playing it) receives it: exactly one frame, nothing more. */
export function parseDalyRequest(frame: Uint8Array): Result<DalyFrame> {
  const parsed = readDalyFrameAt(frame, 0);
  if (!parsed.ok) return parsed;
  if (frame.length > DALY_FRAME_LENGTH) {
    return fail('trailingBytes', `${frame.length - DALY_FRAME_LENGTH} bytes after the 13-byte request`);
  }
  return parsed;
}

export const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
