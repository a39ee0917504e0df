import { describe, expect, it } from 'vitest';
import { parseFrameText } from './frame-text.js';

const hex = (r: ReturnType<typeof parseFrameText>) => (r.ok ? Buffer.from(r.bytes).toString('hex') : `error: ${r.message}`);

describe('frames typed on the command line', () => {
  it('reads hex in any case with spaces or colons', () => {
    expect(hex(parseFrameText('A5 01 90 08', { allowAscii: false }))).toBe('a5019008');
    expect(hex(parseFrameText('a5:01:90:08', { allowAscii: false }))).toBe('a5019008');
  });
  it('reads PI30 ASCII with \\r and \\xNN escapes', () => {
    expect(hex(parseFrameText('(NAKss\\r', { allowAscii: true }))).toBe('284e414b73730d');
    expect(hex(parseFrameText('(PI30\\x9a\\x0b\\r', { allowAscii: true }))).toBe('28504933309a0b0d');
  });
  it('treats a PI30 hex string as hex, not as ASCII digits', () => {
    expect(hex(parseFrameText('28504933309a0b0d', { allowAscii: true }))).toBe('28504933309a0b0d');
  });
  it('refuses odd hex, non-hex for binary protocols and unknown escapes', () => {
    expect(parseFrameText('a50', { allowAscii: false }).ok).toBe(false);
    expect(parseFrameText('hello', { allowAscii: false }).ok).toBe(false);
    expect(parseFrameText('(ACK\\q', { allowAscii: true }).ok).toBe(false);
  });
});
