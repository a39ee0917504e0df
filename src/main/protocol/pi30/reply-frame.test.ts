import { describe, expect, it } from 'vitest';
import { bumpCrc, crc16Xmodem } from './crc.js';
import { encodeAck, encodeNak, encodeResponse, parseReplyFrame, readReplyFrame } from './reply-frame.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const code = (result: { ok: boolean; error?: { code: string } }): string => (result.ok ? 'ok' : (result.error?.code ?? ''));

/** `(` + payload + the given CRC bytes + terminator, built by hand (not by the encoder under test). */
function frame(payload: string, crc: number, terminator = 0x0d): Uint8Array {
  return Uint8Array.from([...ascii(`(${payload}`), crc >>> 8, crc & 0xff, terminator]);
}
const rawCrc = (payload: string): number => crc16Xmodem(ascii(`(${payload}`));

/** A payload whose raw CRC holds `byte` (or any reserved byte), found by trying numbers. */
function payloadWithCrcByte(byte?: number): string {
  const wanted = (b: number): boolean => (byte === undefined ? [0x28, 0x0d, 0x0a].includes(b) : b === byte);
  for (let i = 0; i < 100_000; i++) {
    const crc = rawCrc(`X${i}`);
    if (wanted(crc >>> 8) || wanted(crc & 0xff)) return `X${i}`;
  }
  throw new Error('no such payload');
}

describe('parseReplyFrame', () => {
  it('returns the payload and both CRC forms of a CR-terminated reply', () => {
    const result = parseReplyFrame(frame('B', 0xe7c9));
    expect(result).toEqual({ ok: true, value: { payload: 'B', crcRawHex: 'e7c9', crcOnWireHex: 'e7c9', terminator: 'CR' } });
  });

  it('accepts LF as the terminator and says so', () => {
    const result = parseReplyFrame(frame('B', 0xe7c9, 0x0a));
    expect(result.ok && result.value.terminator).toBe('LF');
  });

  it('accepts a CR or LF CRC byte bumped', () => {
    for (const reserved of [0x0d, 0x0a]) {
      const payload = payloadWithCrcByte(reserved);
      const bumped = parseReplyFrame(frame(payload, bumpCrc(rawCrc(payload))));
      expect(bumped.ok && bumped.value.crcOnWireHex !== bumped.value.crcRawHex).toBe(true);
    }
  });

  it('accepts a 0x28 CRC byte bumped or raw (a raw CR/LF could not survive framing, a raw 0x28 can)', () => {
    const payload = payloadWithCrcByte(0x28);
    expect(code(parseReplyFrame(frame(payload, bumpCrc(rawCrc(payload)))))).toBe('ok');
    const raw = parseReplyFrame(frame(payload, rawCrc(payload)));
    expect(raw.ok && raw.value.crcOnWireHex === raw.value.crcRawHex).toBe(true);
  });

  it('accepts a raw 0x00 CRC byte: 0x00 is not reserved and replies are not C strings', () => {
    let payload = '';
    for (let i = 0; (rawCrc(payload) & 0xff00) !== 0 && i < 100_000; i++) payload = `Z${i}`;
    expect(rawCrc(payload) >>> 8).toBe(0);
    expect(code(parseReplyFrame(frame(payload, rawCrc(payload))))).toBe('ok');
  });

  it('turns (NAK into the typed error nak, while readReplyFrame still returns it as a payload', () => {
    expect(code(parseReplyFrame(encodeNak()))).toBe('nak');
    const read = readReplyFrame(encodeNak());
    expect(read.ok && read.value.payload).toBe('NAK');
  });

  it('names each way a frame can be broken', () => {
    expect(code(parseReplyFrame(new Uint8Array()))).toBe('truncated');
    expect(code(parseReplyFrame(Uint8Array.from([0xff, ...frame('L', 0x0607)])))).toBe('badStartByte');
    expect(code(parseReplyFrame(frame('B', 0xe7c9).subarray(0, 4)))).toBe('missingTerminator');
    expect(code(parseReplyFrame(ascii('(230.0 21.7 230')))).toBe('truncated');
    expect(code(parseReplyFrame(Uint8Array.from([...frame('B', 0xe7c9), 0x31, 0x0d])))).toBe('trailingBytes');
    expect(code(parseReplyFrame(Uint8Array.from([0x28, 0x0d])))).toBe('truncated');
    expect(code(parseReplyFrame(frame('B', 0xe7ca)))).toBe('crc');
  });
});

describe('encodeResponse', () => {
  it('frames a payload with the bumped CRC and CR, or LF on request', () => {
    const payload = payloadWithCrcByte();
    const bytes = encodeResponse(payload);
    const n = bytes.length;
    expect(bytes[0]).toBe(0x28);
    expect(bytes[n - 1]).toBe(0x0d);
    expect(((bytes[n - 3] as number) << 8) | (bytes[n - 2] as number)).toBe(bumpCrc(rawCrc(payload)));
    expect(encodeResponse('B', { terminator: 'LF' }).at(-1)).toBe(0x0a);
  });

  it('produces the ACK and NAK bytes of the protocol document', () => {
    expect(Buffer.from(encodeAck()).toString('hex')).toBe('2841434b39200d');
    expect(Buffer.from(encodeNak()).toString('hex')).toBe('284e414b73730d');
  });

  it('refuses a payload that is not printable ASCII', () => {
    expect(() => encodeResponse('B\r')).toThrow(RangeError);
  });
});
