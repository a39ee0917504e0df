/**
 * An Eastron SDM230 on RS-485 (Modbus RTU, 9600 baud): serves function 0x04 from the SDM230 register
 * map, answers exceptions for other functions (01), unmapped or misaligned addresses (02) and counts a
 * read cannot carry (03), and stays silent for other slave ids, broken frames and while the grid (its
 * supply) is down.
 */
import {
  crc16Modbus,
  encodeExceptionResponse,
  encodeReadInputRegistersResponse,
  float32ToRegisters,
  parseReadInputRegistersRequest,
  SDM230_REGISTERS,
} from '../../protocol/modbus/index.js';
import type { MeterReadings, Plant } from '../plant/index.js';
import { DeviceSimulator, type RequestAssembler, type SimulatorOptions } from './device-simulator.js';

export interface MeterSimulatorOptions extends SimulatorOptions {
  /** Modbus slave id (default 1). */
  slaveId?: number;
}

const EXCEPTION = { illegalFunction: 1, illegalDataAddress: 2, illegalDataValue: 3, deviceFailure: 4 } as const;
const FIXED_LENGTH_REQUEST = 8;
const MAX_REQUEST_BYTES = 256;
const MAPPED = new Map(SDM230_REGISTERS.map((r) => [r.address, r.field as keyof MeterReadings]));
const LAST_REGISTER_END = Math.max(...SDM230_REGISTERS.map((r) => r.address + 2));

const crcOk = (bytes: Uint8Array, end: number): boolean => {
  const crc = crc16Modbus(bytes, 0, end - 2);
  return bytes[end - 2] === (crc & 0xff) && bytes[end - 1] === crc >>> 8;
};

/**
 * Finds request frames in the byte stream by their CRC: 8 bytes for functions 1-6, 9 + byte count for
 * 15/16. Anything else (line noise, stray 0x00) is dropped a byte at a time until a frame fits.
 */
class ModbusRequestAssembler implements RequestAssembler {
  private buffer: number[] = [];

  push(chunk: Uint8Array): Uint8Array[] {
    this.buffer.push(...chunk);
    const frames: Uint8Array[] = [];
    while (this.buffer.length >= FIXED_LENGTH_REQUEST) {
      const bytes = Uint8Array.from(this.buffer);
      const fn = bytes[1] ?? 0;
      const length = fn === 0x0f || fn === 0x10 ? 9 + (bytes[6] ?? 0) : FIXED_LENGTH_REQUEST;
      if (bytes.length < length) break;
      if (crcOk(bytes, length)) {
        frames.push(bytes.slice(0, length));
        this.buffer.splice(0, length);
      } else {
        this.buffer.shift();
      }
    }
    if (this.buffer.length > MAX_REQUEST_BYTES) this.buffer = [];
    return frames;
  }
}

export class MeterSimulator extends DeviceSimulator {
  readonly slaveId: number;

  constructor(
    readonly plant: Plant,
    options: MeterSimulatorOptions = {},
  ) {
    super({ baud: 9600, latencyMs: 25 }, options);
    const slaveId = options.slaveId ?? 1;
    if (!Number.isInteger(slaveId) || slaveId < 1 || slaveId > 247) throw new RangeError(`Modbus slave id ${slaveId} is outside 1-247`);
    this.slaveId = slaveId;
  }

  protected createAssembler(): RequestAssembler {
    return new ModbusRequestAssembler();
  }

  protected override accepts(): boolean {
    return this.plant.meter.powered();
  }

  protected respond(request: Uint8Array): Uint8Array[] | null {
    if (request[0] !== this.slaveId) return null;
    const fn = request[1] ?? 0;
    const parsed = parseReadInputRegistersRequest(request);
    if (!parsed.ok) {
      if (parsed.error.code === 'unexpectedFunction') return [encodeExceptionResponse(this.slaveId, fn, EXCEPTION.illegalFunction)];
      if (parsed.error.code === 'unexpectedField') return [encodeExceptionResponse(this.slaveId, fn, EXCEPTION.illegalDataValue)];
      return null;
    }
    const { start, count } = parsed.value;
    // Every value is a float in two registers: a read must start on a value and cover whole values.
    if (!MAPPED.has(start) || count % 2 !== 0 || start + count > LAST_REGISTER_END) {
      return [encodeExceptionResponse(this.slaveId, fn, EXCEPTION.illegalDataAddress)];
    }
    const readings = this.plant.meter.readings();
    const registers: number[] = [];
    for (let address = start; address < start + count; address += 2) {
      const field = MAPPED.get(address);
      // Registers between mapped values (the other phases of three-phase models) read as 0.
      registers.push(...float32ToRegisters(field === undefined ? 0 : readings[field]));
    }
    return [encodeReadInputRegistersResponse(this.slaveId, registers)];
  }

  protected refusal(request: Uint8Array): Uint8Array[] {
    return [encodeExceptionResponse(this.slaveId, request[1] ?? 0x04, EXCEPTION.deviceFailure)];
  }

  protected breakChecksum(reply: Uint8Array[]): Uint8Array[] {
    return reply.map((frame) => {
      const broken = frame.slice();
      broken[broken.length - 2] = (broken[broken.length - 2] ?? 0) ^ 0xff;
      return broken;
    });
  }
}
