/**
 * Finds the reply to one Modbus RTU read in a byte stream: split reads, stray 0x00 from the RS-485
 * driver, noise, or an exception reply instead of data. RTU has no start byte, so a candidate must match
 * the slave id, the function (or function | 0x80), the expected byte count and the CRC.
 */
import { crcStatus } from './crc.js';
import { EXCEPTION_FRAME_LENGTH } from './exception.js';

export interface ExpectedModbusResponse {
  slaveId: number;
  /** 0x01-0x04: the read functions, whose reply length follows from `count`. */
  functionCode: number;
  /** Registers (or coils/inputs) requested. */
  count: number;
}

function expectedByteCount({ functionCode, count }: ExpectedModbusResponse): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count ${count} is not a positive integer`);
  if (functionCode === 0x03 || functionCode === 0x04) return 2 * count;
  if (functionCode === 0x01 || functionCode === 0x02) return Math.ceil(count / 8);
  throw new RangeError(`function 0x${functionCode.toString(16)} is not a read; its reply length is unknown`);
}

export class ModbusRtuResponseAssembler {
  private buffer = new Uint8Array(0);
  private discarded = 0;
  private expected!: ExpectedModbusResponse;
  private byteCount = 0;

  constructor(expected: ExpectedModbusResponse) {
    this.expect(expected);
  }

  /** Bytes thrown away since construction. */
  get discardedBytes(): number {
    return this.discarded;
  }

  /** Bytes held as the possible start of the reply. */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  /** The complete reply (data or exception frame, CRC checked) once it has arrived, else null. */
  push(chunk: Uint8Array): Uint8Array | null {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer, 0);
    joined.set(chunk, this.buffer.length);
    let pos = 0;
    while (pos < joined.length) {
      const length = this.candidateLength(joined, pos);
      if (length === 'wait') break;
      if (length !== 'no' && crcStatus(joined.subarray(pos, pos + length)) === 'ok') {
        this.buffer = joined.slice(pos + length);
        return joined.slice(pos, pos + length);
      }
      pos++;
      this.discarded++;
    }
    this.buffer = joined.slice(pos);
    return null;
  }

  /** Drop buffered bytes (counted as discarded) and, if given, expect the reply to another request. */
  reset(expected?: ExpectedModbusResponse): void {
    this.discarded += this.buffer.length;
    this.buffer = new Uint8Array(0);
    if (expected) this.expect(expected);
  }

  private expect(expected: ExpectedModbusResponse): void {
    this.byteCount = expectedByteCount(expected);
    this.expected = { ...expected };
  }

  /** Length of the frame that would start at `pos`, 'wait' for more bytes, or 'no'. */
  private candidateLength(b: Uint8Array, pos: number): number | 'wait' | 'no' {
    if (b[pos] !== this.expected.slaveId) return 'no';
    if (pos + 1 >= b.length) return 'wait';
    const fn = b[pos + 1];
    let length: number;
    if (fn === (this.expected.functionCode | 0x80)) length = EXCEPTION_FRAME_LENGTH;
    else if (fn === this.expected.functionCode) {
      if (pos + 2 >= b.length) return 'wait';
      if (b[pos + 2] !== this.byteCount) return 'no';
      length = 3 + this.byteCount + 2;
    } else return 'no';
    return pos + length <= b.length ? length : 'wait';
  }
}
