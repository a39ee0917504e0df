import { describe, expect, it } from 'vitest';
import { bumpCrc, crc16Xmodem, crcHex, isReservedCrcByte, matchCrc } from './crc.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('crc16Xmodem', () => {
  it('gives the CRC-16/XMODEM check value for "123456789"', () => {
    expect(crc16Xmodem(ascii('123456789'))).toBe(0x31c3);
  });

  it('gives the CRCs the original installation hard-coded', () => {
    expect(crcHex(crc16Xmodem(ascii('QPIGS')))).toBe('b7a9');
    expect(crcHex(crc16Xmodem(ascii('QMOD')))).toBe('49c1');
    expect(crcHex(crc16Xmodem(ascii('POP02')))).toBe('e20a');
  });

  it('covers only the given range', () => {
    expect(crc16Xmodem(ascii('xxQPIGSyy'), 2, 7)).toBe(0xb7a9);
  });
});

describe('reserved-byte quirk', () => {
  it('bumps 0x28, 0x0D and 0x0A in either byte, independently', () => {
    expect(bumpCrc(0xe20a)).toBe(0xe20b);
    expect(bumpCrc(0x940d)).toBe(0x940e);
    expect(bumpCrc(0x2812)).toBe(0x2912);
    expect(bumpCrc(0x0d0a)).toBe(0x0e0b);
    expect(bumpCrc(0x28ff)).toBe(0x29ff);
  });

  it('leaves 0x00 and every other byte alone', () => {
    expect(isReservedCrcByte(0x00)).toBe(false);
    expect(bumpCrc(0x00e7)).toBe(0x00e7);
    expect(bumpCrc(0xb7a9)).toBe(0xb7a9);
    const reserved = Array.from({ length: 256 }, (_, b) => b).filter(isReservedCrcByte);
    expect(reserved).toEqual([0x0a, 0x0d, 0x28]);
  });

  it('matches a received CRC bumped, raw, or not at all', () => {
    expect(matchCrc(0x940d, 0x940e)).toBe('bumped');
    expect(matchCrc(0x940d, 0x940d)).toBe('raw');
    expect(matchCrc(0xb7a9, 0xb7a9)).toBe('bumped');
    expect(matchCrc(0xb7a9, 0xb7aa)).toBe('mismatch');
  });
});
