/**
 * CRC-16/XMODEM as the PI30 firmware uses it, with its reserved-byte quirk (protocols.md §1.2):
 * a CRC byte equal to `(`, CR or LF would end or start a frame, so the firmware sends it plus one.
 */

const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
}

/** CRC-16/XMODEM (poly 0x1021, init 0, no reflection, no final XOR) over bytes[start, end). */
export function crc16Xmodem(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >>> 8) ^ (bytes[i] as number)) & 0xff] as number);
  }
  return crc;
}

/** 0x28 `(`, 0x0D CR, 0x0A LF. 0x00 is deliberately absent: a serial unit sent a raw 0x00 CRC byte. */
export const isReservedCrcByte = (byte: number): boolean => byte === 0x28 || byte === 0x0d || byte === 0x0a;

const bumpByte = (byte: number): number => (isReservedCrcByte(byte) ? byte + 1 : byte);

/** The CRC as the firmware puts it on the wire: each reserved byte incremented, the two bytes independently. */
export const bumpCrc = (crc: number): number => (bumpByte(crc >>> 8) << 8) | bumpByte(crc & 0xff);

/** Four lower-case hex digits, the form the fixtures and decoded results use. */
export const crcHex = (crc: number): string => crc.toString(16).padStart(4, '0');

/** How the two CRC bytes sent with a frame relate to the CRC computed over its body. */
export type CrcMatch = 'bumped' | 'raw' | 'mismatch';

/**
 * Compare the CRC bytes on the wire with the CRC of the body. `bumped` also covers CRCs without any
 * reserved byte (then raw and bumped are the same value); `raw` means a reserved byte was sent as is.
 */
export function matchCrc(computed: number, onWire: number): CrcMatch {
  if (onWire === bumpCrc(computed)) return 'bumped';
  if (onWire === computed) return 'raw';
  return 'mismatch';
}
