import { describe, expect, it } from 'vitest';
import { LEGACY_COLUMNS, legacyQ1, legacyQmod, legacyQpiri, legacyQpiws, legacyRow } from './legacy.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
/** A reply with the given CRC bytes (the legacy pipeline never checked them). */
const reply = (payload: string, crcHi: number, crcLo: number): Uint8Array => Uint8Array.from([...ascii(`(${payload}`), crcHi, crcLo, 0x0d]);

const Q1_27 = '00001 16971 01 00 00 026 033 022 029 02 00 000 0036 0000 0000 00.00 10 0 060 030 100 030 58.40 000 120 0 0003';
const QPIRI_26 = '230.0 21.7 230.0 50.0 21.7 5000 4000 48.0 46.0 42.0 56.4 54.0 0 10 010 1 0 0 6 01 0 0 54.0 0 1 000';

describe('legacy rows', () => {
  it('glues a CRC byte that is a digit to the last token, as the original digit filter did', () => {
    const row = legacyQ1(reply(Q1_27, 0x37, 0xf1));
    expect(row?.var27).toBe(37);
    expect(row?.var17).toBe(10);
    expect(legacyQ1(reply(Q1_27, 0xd5, 0x7c))?.var27).toBe(3);
  });

  it('stores no row when a - field leaves an empty token or too few tokens arrive', () => {
    expect(legacyQpiri(reply(QPIRI_26, 0xd5, 0x7c))?.var26).toBe(0);
    expect(legacyQpiri(reply(QPIRI_26.replace(' 6 01 ', ' - 01 '), 0xd5, 0x7c))).toBeNull();
    expect(legacyQpiri(reply(QPIRI_26.split(' ').slice(0, 25).join(' '), 0xd5, 0x7c))).toBeNull();
  });

  it('makes a token from a CRC byte that is a space, shifting what var26 holds', () => {
    const twentyFive = QPIRI_26.split(' ').slice(0, 25).join(' ');
    expect(legacyQpiri(reply(twentyFive, 0x20, 0x35))?.var26).toBe(5);
  });

  it('keeps letters of QMOD including a letter CRC byte, and stores a NAK as NAKss', () => {
    expect(legacyQmod(reply('B', 0xe7, 0xc9))).toEqual({ var1: 'B' });
    expect(legacyQmod(reply('B', 0x41, 0x09))).toEqual({ var1: 'BA' });
    expect(legacyQmod(reply('NAK', 0x73, 0x73))).toEqual({ var1: 'NAKss' });
  });

  it('classifies QPIWS by the original indices', () => {
    const bits = `${'0'.repeat(30)}111111`;
    expect(legacyQpiws(reply(bits, 0xaa, 0xbb))).toEqual({ var1: bits, var2: 'OK' });
  });

  it('dispatches by command, undefined for tables the original did not have', () => {
    expect(legacyRow('QPIGS2', reply('03.1 327.3 01026 ', 0xc9, 0x8b))).toBeUndefined();
    expect(legacyRow('QMOD', reply('L', 0x06, 0x07))).toEqual({ var1: 'L' });
    expect(LEGACY_COLUMNS.QPIGS).toHaveLength(16);
    expect(LEGACY_COLUMNS.QPIRI).toHaveLength(26);
    expect(LEGACY_COLUMNS.Q1).toHaveLength(27);
  });
});
