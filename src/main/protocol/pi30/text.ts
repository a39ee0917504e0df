/** Byte <-> text helpers for an ASCII protocol whose frames also carry binary CRC bytes. */

const CHUNK = 4096;

/** One character per byte (ISO 8859-1), so any byte sequence round-trips and nothing throws. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  // apply, not spread: spreading a typed array walks its iterator, an object per byte in V8's interpreter.
  for (let i = start; i < end; i += CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + CHUNK)) as unknown as number[]);
  }
  return out;
}

/** Printable ASCII, space included: what a PI30 command or payload may contain. */
export const isPrintableAscii = (text: string): boolean => /^[\x20-\x7e]*$/.test(text);

/** Show a byte string with escapes, for error messages people read. */
export function describeBytes(text: string, max = 40): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(shown);
}
