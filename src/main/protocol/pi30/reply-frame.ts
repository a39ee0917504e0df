/** PI30 reply frames: `(` + payload + CRC hi + CRC lo + CR (or LF on some units). */
import { fail, ok, type Result } from '../../../shared/result.js';
import { bumpCrc, crc16Xmodem, crcHex, matchCrc } from './crc.js';
import { describeBytes, isPrintableAscii, latin1 } from './text.js';

const START = 0x28;
const CR = 0x0d;
const LF = 0x0a;

export type Pi30Terminator = 'CR' | 'LF';

export interface Pi30ReplyFrame {
  payload: string;
  /** CRC-16/XMODEM of `(` + payload. */
  crcRawHex: string;
  /** The two CRC bytes as received (the raw CRC, or the raw CRC with reserved bytes incremented). */
  crcOnWireHex: string;
  terminator: Pi30Terminator;
}

/**
 * Check one complete reply frame (start byte, one terminator at the end, CRC raw or bumped) and return
 * its payload. A `(NAK` reply is returned as a payload like any other; see parseReplyFrame.
 */
export function readReplyFrame(frame: Uint8Array): Result<Pi30ReplyFrame> {
  const n = frame.length;
  if (n === 0) return fail('truncated', 'the reply is empty');
  if (frame[0] !== START) {
    return fail('badStartByte', `the reply starts with 0x${hexByte(frame[0] as number)}, not "(" (0x28)`);
  }
  const end = findTerminator(frame);
  if (end === -1) return withoutTerminator(frame);
  if (end < n - 1) {
    return fail('trailingBytes', `${n - 1 - end} byte(s) follow the terminator at offset ${end}: one frame must end at its first CR/LF`);
  }
  if (n < 4) return fail('truncated', `the reply has ${n} bytes; the shortest frame is "(" + 2 CRC bytes + CR`);
  const computed = crc16Xmodem(frame, 0, n - 3);
  const onWire = ((frame[n - 3] as number) << 8) | (frame[n - 2] as number);
  if (matchCrc(computed, onWire) === 'mismatch') {
    return fail('crc', `CRC bytes ${crcHex(onWire)} do not match the computed ${crcHex(bumpCrc(computed))}`);
  }
  return ok({
    payload: latin1(frame, 1, n - 3),
    crcRawHex: crcHex(computed),
    crcOnWireHex: crcHex(onWire),
    terminator: frame[n - 1] === LF ? 'LF' : 'CR',
  });
}

/** readReplyFrame, with a `(NAK` reply turned into the typed error `nak`: a refusal is never data. */
export function parseReplyFrame(frame: Uint8Array): Result<Pi30ReplyFrame> {
  const read = readReplyFrame(frame);
  if (read.ok && read.value.payload === 'NAK') return fail('nak', 'the inverter answered NAK (command refused or not supported)');
  return read;
}

/**
 * Frame a reply as the firmware does: `(` + payload + bumped CRC + CR (or LF). For the device simulator,
 * whose payloads are its own constants: a non-ASCII payload is a programming error (RangeError).
 */
export function encodeResponse(payload: string, options: { terminator?: Pi30Terminator } = {}): Uint8Array {
  if (!isPrintableAscii(payload)) throw new RangeError(`PI30 payload must be printable ASCII: ${describeBytes(payload)}`);
  const bytes = new Uint8Array(payload.length + 4);
  bytes[0] = START;
  for (let i = 0; i < payload.length; i++) bytes[i + 1] = payload.charCodeAt(i);
  const crc = bumpCrc(crc16Xmodem(bytes, 0, payload.length + 1));
  bytes[payload.length + 1] = crc >>> 8;
  bytes[payload.length + 2] = crc & 0xff;
  bytes[payload.length + 3] = options.terminator === 'LF' ? LF : CR;
  return bytes;
}

export const encodeAck = (): Uint8Array => encodeResponse('ACK');
export const encodeNak = (): Uint8Array => encodeResponse('NAK');

function findTerminator(frame: Uint8Array): number {
  for (let i = 1; i < frame.length; i++) {
    const byte = frame[i];
    if (byte === CR || byte === LF) return i;
  }
  return -1;
}

/**
 * No CR/LF anywhere. If the last two bytes are the CRC of what precedes them, the frame is complete
 * but for its terminator; otherwise it was cut off mid-reply.
 */
function withoutTerminator(frame: Uint8Array): Result<never> {
  const n = frame.length;
  if (n >= 3) {
    const onWire = ((frame[n - 2] as number) << 8) | (frame[n - 1] as number);
    if (matchCrc(crc16Xmodem(frame, 0, n - 2), onWire) !== 'mismatch') {
      return fail('missingTerminator', 'the reply is complete up to its CRC but does not end with CR or LF');
    }
  }
  return fail('truncated', `the reply stops after ${n} bytes without CRC and terminator`);
}

const hexByte = (byte: number): string => byte.toString(16).padStart(2, '0');
