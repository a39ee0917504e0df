import { describe, expect, it } from 'vitest';
import { parseDalyRequest } from './frame.js';
import { encodeDalyRequest, encodeSetChargeMos, encodeSetDischargeMos, encodeSetSoc } from './requests.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const code = (r: { ok: boolean; error?: { code: string } }): string | undefined => (r.ok ? undefined : r.error?.code);

describe('Daly request builders', () => {
  it('uses host address 0x40 unless told otherwise (the original installation used 0x80)', () => {
    expect(hex(encodeDalyRequest(0x90))).toBe('a540900800000000000000007d');
    expect(hex(encodeDalyRequest(0x90, { address: 0x80 }))).toBe('a58090080000000000000000bd');
  });

  it('refuses read requests with values that are not bytes', () => {
    expect(() => encodeDalyRequest(0x100)).toThrow(RangeError);
    expect(() => encodeDalyRequest(0x90, { address: -1 })).toThrow(RangeError);
    expect(() => encodeDalyRequest(0x90, { filler: 1.5 })).toThrow(RangeError);
  });

  it('switches the MOSFETs with data byte 0 = 1 on / 0 off', () => {
    const on = encodeSetChargeMos(true);
    const off = encodeSetDischargeMos(false, { address: 0x80 });
    if (!on.ok || !off.ok) throw new Error('builder refused a valid request');
    expect(hex(on.value).slice(0, 10)).toBe('a540da0801');
    expect(hex(off.value).slice(0, 10)).toBe('a580d90800');
  });

  it('refuses a MOS write to an address that is not a byte', () => {
    expect(code(encodeSetChargeMos(true, { address: 300 }))).toBe('badArgument');
    expect(code(encodeSetDischargeMos('yes' as unknown as boolean))).toBe('badArgument');
  });

  it('sends the SOC in 0.1 % steps and zero clock bytes when no date is given', () => {
    const r = encodeSetSoc(55.5);
    if (!r.ok) throw new Error(r.error.message);
    const parsed = parseDalyRequest(r.value);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(hex(parsed.value.data)).toBe('000000000000022b');
    expect(parsed.value.dataId).toBe(0x21);
  });

  it('writes the date as local wall time, year counted from 2000', () => {
    const r = encodeSetSoc(0, new Date(2031, 0, 2, 3, 4, 5));
    if (!r.ok) throw new Error(r.error.message);
    expect(hex(r.value.subarray(4, 12))).toBe('1f01020304050000');
  });

  it.each([[-0.1], [100.1], [Number.NaN], [Number.POSITIVE_INFINITY]])('refuses SOC %s %%', (soc) => {
    expect(code(encodeSetSoc(soc))).toBe('badArgument');
  });

  it('refuses dates the BMS clock cannot hold', () => {
    expect(code(encodeSetSoc(50, new Date(1999, 11, 31)))).toBe('badArgument');
    expect(code(encodeSetSoc(50, new Date(Number.NaN)))).toBe('badArgument');
  });

  it('parses a request back, refusing extra bytes', () => {
    const frame = encodeDalyRequest(0x95, { address: 0x80 });
    expect(parseDalyRequest(frame)).toMatchObject({ ok: true, value: { address: 0x80, dataId: 0x95 } });
    expect(code(parseDalyRequest(Uint8Array.from([...frame, 0])))).toBe('trailingBytes');
  });
});
