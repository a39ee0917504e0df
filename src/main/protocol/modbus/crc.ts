/** CRC-16/MODBUS: reflected polynomial 0xA001, initial value 0xFFFF, sent low byte first. */

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC of bytes [start, end). */
export function crc16Modbus(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ (TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0);
  return crc;
}

/** `body` followed by its CRC, low byte first. */
export function withCrc(body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(body.length + 2);
  frame.set(body, 0);
  const crc = crc16Modbus(body);
  frame[body.length] = crc & 0xff;
  frame[body.length + 1] = crc >>> 8;
  return frame;
}

/** How the two bytes before `end` relate to the CRC of everything before them. */
export function crcStatus(bytes: Uint8Array, end = bytes.length): 'ok' | 'swapped' | 'bad' {
  if (end < 2) return 'bad';
  const crc = crc16Modbus(bytes, 0, end - 2);
  const lo = bytes[end - 2] ?? 0;
  const hi = bytes[end - 1] ?? 0;
  if (lo === (crc & 0xff) && hi === crc >>> 8) return 'ok';
  if (hi === (crc & 0xff) && lo === crc >>> 8) return 'swapped';
  return 'bad';
}
