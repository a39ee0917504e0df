/** PI30 request frames: command text + CRC hi + CRC lo + CR, the CRC always bumped (protocols.md §1.2). */
import { fail, ok, type Result } from '../../../shared/result.js';
import { bumpCrc, crc16Xmodem, crcHex, matchCrc } from './crc.js';
import { checkCommandArguments } from './request-arguments.js';
import { describeBytes, isPrintableAscii, latin1 } from './text.js';

const CR = 0x0d;

export interface Pi30RequestFrame {
  commandText: string;
  crcRawHex: string;
  crcOnWireHex: string;
}

export interface Pi30ReceivedRequest extends Pi30RequestFrame {
  /** The raw CRC held a reserved byte that was sent unchanged; the real firmware answers such a request NAK. */
  reservedByteUnbumped: boolean;
}

/**
 * The bytes to send for a command. The text comes from our own builders or a validated command line;
 * anything but printable ASCII is a programming error (RangeError), never sent mangled.
 */
export function encodeRequest(commandText: string): Uint8Array {
  if (commandText.length === 0 || !isPrintableAscii(commandText)) {
    throw new RangeError(`PI30 command text must be non-empty printable ASCII: ${describeBytes(commandText)}`);
  }
  const n = commandText.length;
  const bytes = new Uint8Array(n + 3);
  for (let i = 0; i < n; i++) bytes[i] = commandText.charCodeAt(i);
  const crc = bumpCrc(crc16Xmodem(bytes, 0, n));
  bytes[n] = crc >>> 8;
  bytes[n + 1] = crc & 0xff;
  bytes[n + 2] = CR;
  return bytes;
}

/**
 * Would the inverter accept this request as it is? Refuses a reserved CRC byte sent unbumped
 * (`crcNotBumped`, the original installation's POP02) and a setting argument of the wrong shape
 * (`badArgument`, e.g. `PCVV53.800000000000004`). Value ranges are the setting builders' business.
 */
export function validateRequestFrame(frame: Uint8Array): Result<Pi30RequestFrame> {
  const read = readRequest(frame);
  if (!read.ok) return read;
  const { reservedByteUnbumped, ...request } = read.value;
  if (reservedByteUnbumped) {
    return fail('crcNotBumped', `CRC ${request.crcRawHex} holds a reserved byte (0x28, 0x0D or 0x0A) that must be sent plus one (${crcHex(bumpCrc(Number.parseInt(request.crcRawHex, 16)))})`);
  }
  const args = checkCommandArguments(request.commandText);
  if (!args.ok) return args;
  return ok(request);
}

/**
 * The simulator's view of a request: the command text if the CRC matches, raw or bumped, and whether a
 * reserved byte went out unbumped (so the simulator can answer NAK like the firmware).
 */
export function parseRequestFrame(frame: Uint8Array): Result<Pi30ReceivedRequest> {
  return readRequest(frame);
}

function readRequest(frame: Uint8Array): Result<Pi30ReceivedRequest> {
  const n = frame.length;
  if (n === 0) return fail('truncated', 'the request is empty');
  if (frame[n - 1] !== CR) return fail('missingTerminator', 'the request does not end with CR');
  if (n < 4) return fail('truncated', `the request has ${n} bytes; the shortest is one character + 2 CRC bytes + CR`);
  const computed = crc16Xmodem(frame, 0, n - 3);
  const onWire = ((frame[n - 3] as number) << 8) | (frame[n - 2] as number);
  const match = matchCrc(computed, onWire);
  if (match === 'mismatch') {
    return fail('crc', `CRC bytes ${crcHex(onWire)} do not match the computed ${crcHex(bumpCrc(computed))}`);
  }
  const commandText = latin1(frame, 0, n - 3);
  if (!isPrintableAscii(commandText)) return fail('badArgument', `the command text is not printable ASCII: ${describeBytes(commandText)}`);
  return ok({ commandText, crcRawHex: crcHex(computed), crcOnWireHex: crcHex(onWire), reservedByteUnbumped: match === 'raw' });
}
