/** Outcome of anything that can fail on bad input: decoders, validators. Never throws for bad input. */
export type Result<T, E = DecodeError> = { ok: true; value: T } | { ok: false; error: E };

/** Why a frame or reply was refused. `code` is stable (tests and metrics key on it); `message` is for people. */
export interface DecodeError {
  code: DecodeErrorCode;
  message: string;
}

export type DecodeErrorCode =
  | 'crc' // checksum or CRC mismatch (PI30, Modbus)
  | 'checksum' // Daly sum checksum mismatch
  | 'crcNotBumped' // PI30 request whose CRC byte is a reserved byte the firmware refuses
  | 'truncated' // frame ends before its announced or minimum length
  | 'missingTerminator' // PI30 frame without CR/LF
  | 'badStartByte' // first byte is not the protocol's start byte
  | 'trailingBytes' // bytes after the end of a complete frame
  | 'wrongLength' // a length/byte-count field disagrees with the data
  | 'unexpectedField' // a field has the wrong shape or there are too few fields
  | 'unexpectedDataId' // Daly reply for another data id than requested
  | 'unexpectedFunction' // Modbus reply with another function code
  | 'unexpectedAddress' // reply from another slave/address
  | 'missingFrame' // multi-frame reply with a gap in its numbering
  | 'nak' // PI30 (NAK
  | 'exception' // Modbus exception response
  | 'implausible' // valid on the wire but not believable as data (e.g. a sleeping Daly's zeros)
  | 'badArgument' // a request builder refused a value
  | 'badJson' // mbmd body is not JSON
  | 'noData' // mbmd reports no active meter
  | 'missingDevice' // mbmd body lacks the configured meter
  | 'unknownCommand';

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = (code: DecodeErrorCode, message: string): { ok: false; error: DecodeError } => ({
  ok: false,
  error: { code, message },
});
