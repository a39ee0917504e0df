/** Modbus RTU function 0x04 (read input registers): request and response, both directions. */
import { fail, ok, type Result } from '../../../shared/result.js';
import { crcStatus, withCrc } from './crc.js';
import { EXCEPTION_FRAME_LENGTH, MAX_SLAVE_ID, decodeModbusException, describeModbusException } from './exception.js';
import { registersToFloat32 } from './float.js';
import { sdm230Fields } from './sdm230.js';

export const READ_INPUT_REGISTERS = 0x04;
/** The most registers one read may ask for (the reply's byte count must fit in a byte). */
export const MAX_READ_REGISTERS = 125;
const REQUEST_LENGTH = 8;

const isInt = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;

/** `id 04 start count crc`. Throws RangeError for a slave id, start or count Modbus cannot carry. */
export function encodeReadInputRegisters(slaveId: number, start: number, count: number): Uint8Array {
  if (!isInt(slaveId, 1, MAX_SLAVE_ID)) throw new RangeError(`slave id ${slaveId} is outside 1-247`);
  if (!isInt(count, 1, MAX_READ_REGISTERS)) throw new RangeError(`register count ${count} is outside 1-125`);
  if (!isInt(start, 0, 0x10000 - count)) throw new RangeError(`registers ${start}+${count} are outside 0-65535`);
  return withCrc(Uint8Array.of(slaveId, READ_INPUT_REGISTERS, start >> 8, start & 0xff, count >> 8, count & 0xff));
}

/**
 * A read request as the meter (or its simulator) receives it. Errors tell the simulator what to answer:
 * `unexpectedFunction` -> exception 1, `unexpectedField` (count out of range) -> exception 3.
 */
export function parseReadInputRegistersRequest(frame: Uint8Array): Result<{ slaveId: number; start: number; count: number }> {
  if (frame.length === 0) return fail('truncated', 'no bytes');
  const slaveId = frame[0] ?? 0;
  // Reads cannot be broadcast (id 0), so a 0x00 here is line noise.
  if (!isInt(slaveId, 1, MAX_SLAVE_ID)) return fail('badStartByte', `slave id ${slaveId} is outside 1-247`);
  const functionCode = frame[1] ?? 0;
  if (frame.length >= 4 && functionCode !== READ_INPUT_REGISTERS && crcStatus(frame) === 'ok') {
    return fail('unexpectedFunction', `function 0x${functionCode.toString(16)}, only 0x04 is served`);
  }
  if (frame.length < REQUEST_LENGTH) return fail('truncated', `request of ${frame.length} bytes, expected 8`);
  const status = crcStatus(frame, REQUEST_LENGTH);
  if (status !== 'ok') return fail('crc', status === 'swapped' ? 'CRC sent high byte first' : 'CRC mismatch');
  if (frame.length > REQUEST_LENGTH) return fail('trailingBytes', `${frame.length - REQUEST_LENGTH} bytes after the request`);
  if (functionCode !== READ_INPUT_REGISTERS) return fail('unexpectedFunction', `function 0x${functionCode.toString(16)}, only 0x04 is served`);
  const start = ((frame[2] ?? 0) << 8) | (frame[3] ?? 0);
  const count = ((frame[4] ?? 0) << 8) | (frame[5] ?? 0);
  if (!isInt(count, 1, MAX_READ_REGISTERS) || start + count > 0x10000) {
    return fail('unexpectedField', `register count ${count} from ${start} is outside what one read may ask`);
  }
  return ok({ slaveId, start, count });
}

/** `id 04 byteCount data crc` for the given 16-bit register values. Throws RangeError on bad values. */
export function encodeReadInputRegistersResponse(slaveId: number, registers: readonly number[]): Uint8Array {
  if (!isInt(slaveId, 1, MAX_SLAVE_ID)) throw new RangeError(`slave id ${slaveId} is outside 1-247`);
  if (!isInt(registers.length, 1, MAX_READ_REGISTERS)) throw new RangeError(`${registers.length} registers do not fit one reply`);
  const body = new Uint8Array(3 + 2 * registers.length);
  body.set([slaveId, READ_INPUT_REGISTERS, 2 * registers.length], 0);
  registers.forEach((value, i) => {
    if (!isInt(value, 0, 0xffff)) throw new RangeError(`register value ${value} is not 16-bit`);
    body[3 + 2 * i] = value >> 8;
    body[4 + 2 * i] = value & 0xff;
  });
  return withCrc(body);
}

export interface ReadInputRegistersResponse {
  slaveId: number;
  functionCode: number;
  byteCount: number;
  registersHex: string[];
  /** One float32 per register pair (a trailing odd register is only in registersHex). */
  floats: number[];
  /** The floats at SDM230 register addresses, by field name. */
  fields: Record<string, number>;
}

export interface ReadResponseOptions {
  /** First register of the request; floats are mapped to fields from it. */
  start: number;
  /** Slave that was asked; a reply from another is refused. */
  slaveId?: number;
  /** Registers that were asked for; a reply with another byte count is refused. */
  count?: number;
}

/**
 * Checks where the frame ends: its CRC must sit right after `byteCount` data bytes. The announced end
 * is tried first because a reply with one 0x00 appended also passes a CRC check over the whole (the
 * CRC of a frame's body plus its low CRC byte is its high CRC byte).
 */
function checkFraming(frame: Uint8Array): Result<number> {
  const byteCount = frame[2] ?? 0;
  const announced = 3 + byteCount + 2;
  if (frame.length >= announced && crcStatus(frame, announced) === 'ok') {
    if (frame.length === announced) return ok(byteCount);
    return fail('trailingBytes', `${frame.length - announced} bytes after the reply`);
  }
  const status = crcStatus(frame);
  if (status === 'ok') return fail('wrongLength', `byte count ${byteCount} but ${frame.length - 5} data bytes precede the CRC`);
  if (frame.length < announced) return fail('truncated', `byte count ${byteCount} needs ${announced} bytes, got ${frame.length}`);
  if (status === 'swapped') return fail('crc', 'CRC sent high byte first; Modbus RTU sends the low byte first');
  return fail('crc', 'CRC-16/MODBUS mismatch');
}

/** Decodes a function 0x04 reply to named SDM230 values. Never throws. */
export function decodeReadInputRegistersResponse(frame: Uint8Array, options: ReadResponseOptions): Result<ReadInputRegistersResponse> {
  if (!isInt(options.start, 0, 0xffff)) return fail('badArgument', `start register ${options.start} is outside 0-65535`);
  if (frame.length === 0) return fail('truncated', 'no bytes');
  const slaveId = frame[0] ?? 0;
  // A reply never comes from id 0 (broadcast): a leading 0x00 is an RS-485 glitch the transport must drop.
  if (!isInt(slaveId, 1, MAX_SLAVE_ID)) return fail('badStartByte', `first byte 0x${slaveId.toString(16).padStart(2, '0')} is not a slave id (1-247)`);
  if (frame.length < EXCEPTION_FRAME_LENGTH) return fail('truncated', `${frame.length} bytes, a reply has at least 5`);
  const functionCode = frame[1] ?? 0;
  if (functionCode & 0x80) {
    const exception = decodeModbusException(frame);
    if (!exception.ok) return exception;
    if (options.slaveId !== undefined && slaveId !== options.slaveId) {
      return fail('unexpectedAddress', `exception from slave ${slaveId}, slave ${options.slaveId} was asked`);
    }
    if ((functionCode & 0x7f) !== READ_INPUT_REGISTERS) {
      return fail('unexpectedFunction', `exception reply to function 0x${(functionCode & 0x7f).toString(16)}, 0x04 was requested`);
    }
    return fail('exception', describeModbusException(exception.value));
  }
  const framing = checkFraming(frame);
  if (!framing.ok) return framing;
  const byteCount = framing.value;
  if (options.slaveId !== undefined && slaveId !== options.slaveId) {
    return fail('unexpectedAddress', `reply from slave ${slaveId}, slave ${options.slaveId} was asked`);
  }
  if (functionCode !== READ_INPUT_REGISTERS) {
    return fail('unexpectedFunction', `function 0x${functionCode.toString(16).padStart(2, '0')} reply, 0x04 was requested`);
  }
  if (byteCount === 0 || byteCount % 2 !== 0) return fail('wrongLength', `byte count ${byteCount} is not a whole number of registers`);
  if (options.count !== undefined && byteCount !== 2 * options.count) {
    return fail('wrongLength', `${byteCount / 2} registers in the reply, ${options.count} were requested`);
  }
  const registers = Array.from({ length: byteCount / 2 }, (_, i) => ((frame[3 + 2 * i] ?? 0) << 8) | (frame[4 + 2 * i] ?? 0));
  const floats: number[] = [];
  for (let i = 0; i + 1 < registers.length; i += 2) {
    const value = registersToFloat32(registers[i] ?? 0, registers[i + 1] ?? 0);
    if (!Number.isFinite(value)) {
      return fail('implausible', `register ${options.start + i} holds ${value}, not a measurement`);
    }
    floats.push(value);
  }
  return ok({
    slaveId,
    functionCode,
    byteCount,
    registersHex: registers.map((r) => r.toString(16).padStart(4, '0')),
    floats,
    fields: sdm230Fields(options.start, floats),
  });
}
