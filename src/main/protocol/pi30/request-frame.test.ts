import { describe, expect, it } from 'vitest';
import { crc16Xmodem } from './crc.js';
import { encodeRequest, parseRequestFrame, validateRequestFrame } from './request-frame.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const code = (result: { ok: boolean; error?: { code: string } }): string => (result.ok ? 'ok' : (result.error?.code ?? ''));
/** Text + raw (unbumped) CRC + CR, built by hand. */
const rawFrame = (text: string): Uint8Array => {
  const crc = crc16Xmodem(ascii(text));
  return Uint8Array.from([...ascii(text), crc >>> 8, crc & 0xff, 0x0d]);
};

describe('encodeRequest', () => {
  it('appends the CRC high byte first and CR', () => {
    expect(Buffer.from(encodeRequest('QPIGS')).toString('hex')).toBe('5150494753b7a90d');
  });

  it('refuses text the inverter could not parse instead of sending it mangled', () => {
    expect(() => encodeRequest('')).toThrow(RangeError);
    expect(() => encodeRequest('QPIGS\r')).toThrow(RangeError);
    expect(() => encodeRequest('PBFT53.7°')).toThrow(RangeError);
  });
});

describe('validateRequestFrame', () => {
  it('round-trips every request it encodes', () => {
    for (const text of ['QPIGS', 'QPIGS 2', 'POP02', 'PBFT53.7', 'MNCHGC0120', 'PDk', 'PF', 'F50', 'QPGS9']) {
      const result = validateRequestFrame(encodeRequest(text));
      expect(result.ok && result.value.commandText).toBe(text);
    }
  });

  it('refuses a reserved CRC byte sent unbumped, which parseRequestFrame still reads', () => {
    expect(code(validateRequestFrame(rawFrame('POP02')))).toBe('crcNotBumped');
    const seen = parseRequestFrame(rawFrame('POP02'));
    expect(seen.ok && seen.value).toEqual({ commandText: 'POP02', crcRawHex: 'e20a', crcOnWireHex: 'e20a', reservedByteUnbumped: true });
    const bumped = parseRequestFrame(encodeRequest('POP02'));
    expect(bumped.ok && bumped.value.reservedByteUnbumped).toBe(false);
  });

  it('refuses broken frames with their own codes', () => {
    expect(code(validateRequestFrame(new Uint8Array()))).toBe('truncated');
    expect(code(validateRequestFrame(encodeRequest('QPIGS').subarray(0, 7)))).toBe('missingTerminator');
    expect(code(validateRequestFrame(Uint8Array.from([0xb7, 0xa9, 0x0d])))).toBe('truncated');
    const corrupted = encodeRequest('QPIGS');
    corrupted[1] = 0x51;
    expect(code(validateRequestFrame(corrupted))).toBe('crc');
    expect(code(validateRequestFrame(rawFrame('QP\x01GS')))).toBe('badArgument');
  });

  it('refuses setting arguments of the wrong shape, as the firmware would', () => {
    for (const text of ['PCVV53.800000000000004', 'PBDV53', 'PBFT5.7', 'POP2', 'PCP003', 'PBT1', 'MCHGC10', 'MNCHGC100', 'PE1', 'PF1', 'F55', 'PGR']) {
      expect(code(validateRequestFrame(encodeRequest(text))), text).toBe('badArgument');
    }
  });

  it('passes queries and commands it does not know untouched', () => {
    for (const text of ['QET', 'QED20210726', 'QBEQI', 'PSET']) expect(code(validateRequestFrame(encodeRequest(text))), text).toBe('ok');
  });
});
