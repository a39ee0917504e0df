/** One Modbus RTU "read input registers" as an exchange, with frame assembly sized for its reply. */
import { decodeReadInputRegistersResponse, encodeReadInputRegisters, ModbusRtuResponseAssembler, READ_INPUT_REGISTERS } from '../../protocol/modbus/index.js';
import type { Exchange, FrameAssembler } from '../core/request-queue.js';

/** The codec's assembler yields one reply at a time; the queue wants a list. */
class ModbusFrames implements FrameAssembler {
  private readonly inner: ModbusRtuResponseAssembler;

  constructor(slaveId: number, count: number) {
    this.inner = new ModbusRtuResponseAssembler({ slaveId, functionCode: READ_INPUT_REGISTERS, count });
  }

  push(chunk: Uint8Array): Uint8Array[] {
    const frame = this.inner.push(chunk);
    return frame ? [frame] : [];
  }

  reset(): void {
    this.inner.reset();
  }
}

export interface ReadRegistersOptions {
  slaveId: number;
  start: number;
  count: number;
  timeoutMs: number;
  retries: number;
}

export const registerLabel = (start: number, count: number): string => `0x${start.toString(16).padStart(4, '0')}+${count}`;

/** Resolves to the SDM230 fields of the registers read (plus the raw floats for unmapped reads). */
export function readInputRegistersExchange(options: ReadRegistersOptions): Exchange<{ fields: Record<string, number>; floats: number[]; registersHex: string[] }> {
  const { slaveId, start, count } = options;
  return {
    label: registerLabel(start, count),
    request: encodeReadInputRegisters(slaveId, start, count),
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    assembler: new ModbusFrames(slaveId, count),
    accept: (frame) => {
      const decoded = decodeReadInputRegistersResponse(frame, { start, slaveId, count });
      return { kind: 'done', result: decoded.ok ? { ok: true, value: { fields: decoded.value.fields, floats: decoded.value.floats, registersHex: decoded.value.registersHex } } : decoded };
    },
  };
}
