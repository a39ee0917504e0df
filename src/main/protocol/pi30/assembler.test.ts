import { describe, expect, it } from 'vitest';
import { Pi30FrameAssembler } from './assembler.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const text = (frames: Uint8Array[]): string[] => frames.map((f) => String.fromCharCode(...f));

describe('Pi30FrameAssembler', () => {
  it('joins a frame split over several reads', () => {
    const assembler = new Pi30FrameAssembler();
    expect(assembler.push(ascii('(230.0 2'))).toEqual([]);
    expect(assembler.push(ascii('1.7 230'))).toEqual([]);
    expect(assembler.pendingBytes).toBe(15);
    expect(text(assembler.push(ascii('.0xy\r')))).toEqual(['(230.0 21.7 230.0xy\r']);
    expect(assembler.discardedBytes).toBe(0);
  });

  it('returns two frames that arrive in one read, CR- and LF-terminated', () => {
    const assembler = new Pi30FrameAssembler();
    expect(text(assembler.push(ascii('(ACK9 \r(B\xe7\xc9\n')))).toEqual(['(ACK9 \r', '(B\xe7\xc9\n']);
  });

  it('drops and counts garbage before a frame and the stale tail after one', () => {
    const assembler = new Pi30FrameAssembler();
    expect(text(assembler.push(ascii('\xff\x00(L\x06\x07\r00053 010cs\n')))).toEqual(['(L\x06\x07\r']);
    expect(assembler.discardedBytes).toBe(2 + 12);
    expect(text(assembler.push(ascii('(S\xe5\xd9\r')))).toEqual(['(S\xe5\xd9\r']);
  });

  it('keeps a ( inside a frame, as a raw 0x28 CRC byte can be one', () => {
    const assembler = new Pi30FrameAssembler();
    expect(text(assembler.push(ascii('(X1(\x12\r')))).toEqual(['(X1(\x12\r']);
  });

  it('drops a frame that grows past the limit without a terminator, then resynchronises', () => {
    const assembler = new Pi30FrameAssembler({ maxFrameBytes: 16 });
    expect(assembler.push(ascii(`(${'1'.repeat(20)}`))).toEqual([]);
    expect(assembler.discardedBytes).toBe(21);
    expect(text(assembler.push(ascii('\r(B\xe7\xc9\r')))).toEqual(['(B\xe7\xc9\r']);
    expect(assembler.discardedBytes).toBe(22);
  });

  it('returns a frame of exactly the limit', () => {
    const assembler = new Pi30FrameAssembler({ maxFrameBytes: 8 });
    expect(text(assembler.push(ascii('(123456\r')))).toEqual(['(123456\r']);
  });

  it('reset drops a partial frame and counts it', () => {
    const assembler = new Pi30FrameAssembler();
    assembler.push(ascii('(230.0'));
    assembler.reset();
    expect([assembler.pendingBytes, assembler.discardedBytes]).toEqual([0, 6]);
    expect(text(assembler.push(ascii(' 21.7\r(B\xe7\xc9\r')))).toEqual(['(B\xe7\xc9\r']);
  });

  it('hands out frames that later pushes do not overwrite', () => {
    const assembler = new Pi30FrameAssembler();
    const [first] = assembler.push(ascii('(A1\r'));
    assembler.push(ascii('(B2\r'));
    expect(text([first as Uint8Array])).toEqual(['(A1\r']);
  });
});
