import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16Modbus, withCrc } from './crc.js';
import { decodeModbusException, encodeExceptionResponse } from './exception.js';
import { float32ToRegisters, registersToFloat32 } from './float.js';
import {
  decodeReadInputRegistersResponse,
  encodeReadInputRegisters,
  encodeReadInputRegistersResponse,
  parseReadInputRegistersRequest,
} from './read-input-registers.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const code = (r: { ok: boolean; error?: { code: string } }): string | undefined => (r.ok ? undefined : r.error?.code);

describe('CRC-16/MODBUS and float32 registers', () => {
  it('matches the catalogue check value of CRC-16/MODBUS', () => {
    expect(crc16Modbus(new TextEncoder().encode('123456789'))).toBe(0x4b37);
  });

  it('reads registers 0x4366 0x3334 as 230.2 V (Eastron document example) and writes values back unchanged', () => {
    expect(registersToFloat32(0x4366, 0x3334)).toBeCloseTo(230.2, 4);
    expect(float32ToRegisters(registersToFloat32(0x4366, 0x3334))).toEqual([0x4366, 0x3334]);
    expect(float32ToRegisters(-190.947)).toEqual([0xc33e, 0xf26f]);
  });
});

describe('read input registers', () => {
  it('refuses requests Modbus cannot carry', () => {
    expect(() => encodeReadInputRegisters(0, 0, 2)).toThrow(RangeError);
    expect(() => encodeReadInputRegisters(248, 0, 2)).toThrow(RangeError);
    expect(() => encodeReadInputRegisters(1, 0, 126)).toThrow(RangeError);
    expect(() => encodeReadInputRegisters(1, 0xffff, 2)).toThrow(RangeError);
  });

  it('tells a simulator what to answer for a foreign function or an impossible count', () => {
    expect(code(parseReadInputRegistersRequest(withCrc(Uint8Array.of(1, 3, 0, 0, 0, 2))))).toBe('unexpectedFunction');
    expect(code(parseReadInputRegistersRequest(withCrc(Uint8Array.of(1, 4, 0, 0, 0, 0))))).toBe('unexpectedField');
    expect(code(parseReadInputRegistersRequest(withCrc(Uint8Array.of(1, 4, 0, 0, 0, 200))))).toBe('unexpectedField');
    expect(code(parseReadInputRegistersRequest(Uint8Array.of(0, ...encodeReadInputRegisters(1, 0, 2))))).toBe('badStartByte');
  });

  it('serves a block of values that decodes back to the same named fields', () => {
    const frame = encodeReadInputRegistersResponse(1, [...float32ToRegisters(235.1), 0, 0, 0, 0, ...float32ToRegisters(1.617)]);
    const r = decodeReadInputRegistersResponse(frame, { start: 0x0000, slaveId: 1, count: 8 });
    if (!r.ok) throw new Error(r.error.message);
    // Registers 0x0002 and 0x0004 are not in the map: only in floats.
    expect(r.value.fields).toEqual({ voltageV: Math.fround(235.1), currentA: Math.fround(1.617) });
    expect(r.value.floats).toHaveLength(4);
  });

  it('refuses a reply from another slave or with another register count than asked', () => {
    const frame = encodeReadInputRegistersResponse(2, float32ToRegisters(230));
    expect(code(decodeReadInputRegistersResponse(frame, { start: 0, slaveId: 1 }))).toBe('unexpectedAddress');
    expect(code(decodeReadInputRegistersResponse(frame, { start: 0, count: 4 }))).toBe('wrongLength');
  });

  it('refuses a reply followed by more bytes', () => {
    const frame = encodeReadInputRegistersResponse(1, float32ToRegisters(230));
    expect(code(decodeReadInputRegistersResponse(Uint8Array.from([...frame, 0]), { start: 0 }))).toBe('trailingBytes');
  });

  it('refuses NaN register contents instead of passing NaN on', () => {
    const frame = encodeReadInputRegistersResponse(1, [0x7fc0, 0x0000]);
    expect(code(decodeReadInputRegistersResponse(frame, { start: 0 }))).toBe('implausible');
  });

  it('builds exception replies a decoder reads back with their meaning', () => {
    const frame = encodeExceptionResponse(1, 4, 2);
    expect(hex(frame)).toBe('018402c2c1');
    expect(decodeModbusException(frame)).toMatchObject({ ok: true, value: { exceptionCode: 2, exceptionName: 'illegal data address' } });
    const r = decodeReadInputRegistersResponse(encodeExceptionResponse(1, 4, 4), { start: 0 });
    expect(r.ok ? '' : r.error.message).toMatch(/exception 4 \(server device failure\)/);
  });

  const allFinite = (v: unknown): boolean => {
    if (typeof v === 'number') return Number.isFinite(v);
    if (v !== null && typeof v === 'object') return Object.values(v).every(allFinite);
    return true;
  };

  it('never throws and never yields a non-finite number for random bytes or random CRC-correct frames', () => {
    const frames = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.uint8Array({ minLength: 1, maxLength: 38 }).map((body) => withCrc(body)),
      fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 20 }).map((r) => encodeReadInputRegistersResponse(1, r)),
    );
    fc.assert(
      fc.property(frames, fc.integer({ min: 0, max: 400 }), (frame, start) => {
        const r = decodeReadInputRegistersResponse(frame, { start, slaveId: 1 });
        if (r.ok) expect(allFinite(r.value)).toBe(true);
        else expect(r.error.message.length).toBeGreaterThan(0);
        expect(() => parseReadInputRegistersRequest(frame)).not.toThrow();
        expect(() => decodeModbusException(frame)).not.toThrow();
      }),
    );
  });

  it('refuses every single-byte corruption of a valid reply', () => {
    const good = encodeReadInputRegistersResponse(1, [...float32ToRegisters(230.2), ...float32ToRegisters(5.5)]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, delta) => {
        const frame = good.slice();
        frame[index] = (frame[index]! + delta) & 0xff;
        expect(decodeReadInputRegistersResponse(frame, { start: 0, slaveId: 1, count: 4 }).ok).toBe(false);
      }),
    );
  });
});
