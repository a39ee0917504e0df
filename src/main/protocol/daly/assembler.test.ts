import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DalyFrameAssembler } from './assembler.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

// Two real replies (fixtures daly-90-a1 and daly-93-a1; the latter has checksum 0x00).
const F90 = 'a5019008020300007724033819';
const F93 = 'a501930802010171000486c000';

describe('DalyFrameAssembler', () => {
  it('joins a frame that arrives one byte at a time', () => {
    const asm = new DalyFrameAssembler();
    const out: string[] = [];
    for (const b of bytes(F90)) out.push(...asm.push(Uint8Array.of(b)).map(hex));
    expect(out).toEqual([F90]);
    expect(asm.discardedBytes).toBe(0);
  });

  it('returns every frame of a read holding several', () => {
    const asm = new DalyFrameAssembler();
    expect(asm.push(bytes(F90 + F93 + F90)).map(hex)).toEqual([F90, F93, F90]);
  });

  it('skips garbage before a frame and counts it', () => {
    const asm = new DalyFrameAssembler();
    expect(asm.push(bytes('0000ff' + F90)).map(hex)).toEqual([F90]);
    expect(asm.discardedBytes).toBe(3);
  });

  it('resynchronises after a stray 0xA5 and after a frame with a broken checksum', () => {
    const asm = new DalyFrameAssembler();
    const broken = F90.slice(0, -2) + '00';
    expect(asm.push(bytes('a5a5' + broken + F93)).map(hex)).toEqual([F93]);
    expect(asm.discardedBytes).toBe(2 + 13);
  });

  it('keeps a partial frame for the next read, and reset drops it', () => {
    const asm = new DalyFrameAssembler();
    expect(asm.push(bytes(F90.slice(0, 14)))).toEqual([]);
    expect(asm.pendingBytes).toBe(7);
    asm.reset();
    expect(asm.pendingBytes).toBe(0);
    expect(asm.discardedBytes).toBe(7);
    expect(asm.push(bytes(F90.slice(14)))).toEqual([]);
    expect(asm.push(bytes(F93)).map(hex)).toEqual([F93]);
  });

  it('finds the same frames however the stream is split and whatever noise (without 0xA5) surrounds them', () => {
    const noise = fc.uint8Array({ maxLength: 6 }).map((a) => a.filter((b) => b !== 0xa5));
    fc.assert(
      fc.property(fc.array(fc.tuple(noise, fc.constantFrom(F90, F93)), { maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 20 })), (parts, cuts) => {
        const stream = Buffer.concat(parts.flatMap(([n, f]) => [Buffer.from(n), Buffer.from(f, 'hex')]));
        const asm = new DalyFrameAssembler();
        const found: string[] = [];
        let pos = 0;
        for (const cut of [...cuts, stream.length]) {
          found.push(...asm.push(stream.subarray(pos, pos + cut)).map(hex));
          pos += cut;
          if (pos >= stream.length) break;
        }
        expect(found).toEqual(parts.map(([, f]) => f));
      }),
    );
  });
});
