/** Frames typed on a command line: hex (any case, spaces or colons allowed) or, for PI30, ASCII with escapes. */

export type FrameText = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

const HEX = /^[0-9a-fA-F\s:]+$/;

export function parseFrameText(text: string, options: { allowAscii: boolean }): FrameText {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, message: 'the frame is empty' };
  if (HEX.test(trimmed) && !(options.allowAscii && looksLikeAscii(trimmed))) {
    const digits = trimmed.replace(/[\s:]/g, '');
    if (digits.length % 2 !== 0) return { ok: false, message: `hex frame has an odd number of digits (${digits.length})` };
    return { ok: true, bytes: Uint8Array.from(digits.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16)) };
  }
  if (!options.allowAscii) return { ok: false, message: 'the frame is not hex (digits 0-9, a-f, spaces)' };
  return unescapeAscii(text);
}

/** A PI30 reply typed as text starts with "(" or contains escapes; a pure hex string does neither. */
function looksLikeAscii(text: string): boolean {
  return text.startsWith('(') || text.includes('\\');
}

function unescapeAscii(text: string): FrameText {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch !== '\\') {
      const code = ch.charCodeAt(0);
      if (code > 0xff) return { ok: false, message: `character "${ch}" at ${i} is not a byte` };
      bytes.push(code);
      continue;
    }
    const next = text[i + 1];
    if (next === 'r') bytes.push(0x0d);
    else if (next === 'n') bytes.push(0x0a);
    else if (next === '\\') bytes.push(0x5c);
    else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      bytes.push(Number.parseInt(text.slice(i + 2, i + 4), 16));
      i += 2;
    } else return { ok: false, message: `unknown escape "\\${next ?? ''}" at ${i} (use \\r, \\n, \\\\ or \\xNN)` };
    i++;
  }
  return { ok: true, bytes: Uint8Array.from(bytes) };
}
