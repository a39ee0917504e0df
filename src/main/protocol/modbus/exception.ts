/** Modbus exception responses: `id, function | 0x80, code, crc(2)`. */
import { fail, ok, type Result } from '../../../shared/result.js';
import { crcStatus, withCrc } from './crc.js';

export const MODBUS_EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge',
  6: 'server device busy',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
};

export const EXCEPTION_FRAME_LENGTH = 5;
export const MAX_SLAVE_ID = 247;

export interface ModbusException {
  slaveId: number;
  /** As on the wire: the request's function with bit 7 set (0x84 for 0x04). */
  functionCode: number;
  exception: true;
  exceptionCode: number;
  exceptionName: string;
}

export const exceptionName = (code: number): string => MODBUS_EXCEPTION_NAMES[code] ?? 'unknown exception code';

/** A sentence naming the exception, its code and meaning, for logs and `voltmon decode`. */
export function describeModbusException(e: Pick<ModbusException, 'slaveId' | 'functionCode' | 'exceptionCode'>): string {
  const fn = (e.functionCode & 0x7f).toString(16).padStart(2, '0');
  return `Modbus exception ${e.exceptionCode} (${exceptionName(e.exceptionCode)}) from slave ${e.slaveId} for function 0x${fn}`;
}

/** Reads an exception frame; any other frame is refused (`unexpectedFunction` if it is a normal reply). */
export function decodeModbusException(frame: Uint8Array): Result<ModbusException> {
  if (frame.length === 0) return fail('truncated', 'no bytes');
  const slaveId = frame[0] ?? 0;
  if (slaveId === 0 || slaveId > MAX_SLAVE_ID) return fail('badStartByte', `slave id ${slaveId} is outside 1-247`);
  if (frame.length < 2) return fail('truncated', 'frame ends after the slave id');
  const functionCode = frame[1] ?? 0;
  if ((functionCode & 0x80) === 0) return fail('unexpectedFunction', `function 0x${functionCode.toString(16)} is not an exception reply`);
  if (frame.length < EXCEPTION_FRAME_LENGTH) return fail('truncated', `exception reply of ${frame.length} bytes, expected 5`);
  const status = crcStatus(frame, EXCEPTION_FRAME_LENGTH);
  if (status !== 'ok') return fail('crc', status === 'swapped' ? 'CRC sent high byte first' : 'CRC mismatch in exception reply');
  if (frame.length > EXCEPTION_FRAME_LENGTH) return fail('trailingBytes', `${frame.length - EXCEPTION_FRAME_LENGTH} bytes after the exception reply`);
  const exceptionCode = frame[2] ?? 0;
  return ok({ slaveId, functionCode, exception: true, exceptionCode, exceptionName: exceptionName(exceptionCode) });
}

/** Builds `id, function | 0x80, code, crc`. Throws RangeError for values that are not valid. */
export function encodeExceptionResponse(slaveId: number, functionCode: number, exceptionCode: number): Uint8Array {
  const bad = [slaveId, functionCode, exceptionCode].some((n) => !Number.isInteger(n) || n < 0 || n > 0xff);
  if (bad || slaveId < 1 || slaveId > MAX_SLAVE_ID) {
    throw new RangeError(`cannot build an exception reply for slave ${slaveId}, function ${functionCode}, code ${exceptionCode}`);
  }
  return withCrc(Uint8Array.of(slaveId, functionCode | 0x80, exceptionCode));
}
