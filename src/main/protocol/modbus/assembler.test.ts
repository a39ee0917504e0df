import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModbusRtuResponseAssembler } from './assembler.js';

const hex = (b: Uint8Array | null): string | null => (b ? Buffer.from(b).toString('hex') : null);
const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

// Real SDM230 replies (fixtures sdm-0000-voltage-eastron-example, sdm-0048-block-4regs-constructed, sdm-exception-02).
const VOLTAGE = '010404436633341b38';
const BLOCK = '010410448e553f0000000041d1020c448934316fcd';
const EXCEPTION = '018402c2c1';
const voltageRead = { slaveId: 1, functionCode: 4, count: 2 };

describe('ModbusRtuResponseAssembler', () => {
  it('returns the reply once its last byte has arrived', () => {
    const asm = new ModbusRtuResponseAssembler(voltageRead);
    const b = bytes(VOLTAGE);
    for (let i = 0; i < b.length - 1; i++) expect(asm.push(b.subarray(i, i + 1))).toBeNull();
    expect(hex(asm.push(b.subarray(b.length - 1)))).toBe(VOLTAGE);
  });

  it('drops the stray 0x00 bytes the RS-485 driver produces around a reply', () => {
    const asm = new ModbusRtuResponseAssembler(voltageRead);
    expect(hex(asm.push(bytes('0000' + VOLTAGE + '00')))).toBe(VOLTAGE);
    expect(asm.discardedBytes).toBe(2);
  });

  it('recognises an exception reply instead of data', () => {
    const asm = new ModbusRtuResponseAssembler(voltageRead);
    expect(hex(asm.push(bytes('00' + EXCEPTION)))).toBe(EXCEPTION);
  });

  it('ignores a reply with the wrong byte count or a broken CRC and finds the good one after it', () => {
    const asm = new ModbusRtuResponseAssembler({ slaveId: 1, functionCode: 4, count: 8 });
    const broken = BLOCK.slice(0, -2) + '00';
    expect(hex(asm.push(bytes(VOLTAGE + broken + BLOCK)))).toBe(BLOCK);
  });

  it('ignores replies from other slaves on the bus', () => {
    const asm = new ModbusRtuResponseAssembler({ slaveId: 2, functionCode: 4, count: 2 });
    expect(asm.push(bytes(VOLTAGE))).toBeNull();
  });

  it('forgets leftovers on reset and then waits for the next request\'s reply', () => {
    const asm = new ModbusRtuResponseAssembler(voltageRead);
    expect(asm.push(bytes(BLOCK.slice(0, 10)))).toBeNull();
    asm.reset({ slaveId: 1, functionCode: 4, count: 8 });
    expect(asm.pendingBytes).toBe(0);
    expect(hex(asm.push(bytes(BLOCK)))).toBe(BLOCK);
  });

  it('refuses to assemble replies to functions whose length it cannot know', () => {
    expect(() => new ModbusRtuResponseAssembler({ slaveId: 1, functionCode: 0x10, count: 2 })).toThrow(RangeError);
  });

  it('finds the reply however it is split and however many zeros surround it', () => {
    fc.assert(
      fc.property(fc.nat(5), fc.nat(5), fc.array(fc.integer({ min: 1, max: 8 })), (before, after, cuts) => {
        const stream = bytes('00'.repeat(before) + BLOCK + '00'.repeat(after));
        const asm = new ModbusRtuResponseAssembler({ slaveId: 1, functionCode: 4, count: 8 });
        let found: string | null = null;
        let pos = 0;
        for (const cut of [...cuts, stream.length]) {
          found ??= hex(asm.push(stream.subarray(pos, pos + cut)));
          pos += cut;
          if (pos >= stream.length) break;
        }
        expect(found).toBe(BLOCK);
      }),
    );
  });
});
