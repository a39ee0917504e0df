/** IEEE-754 float32 in two registers, high word first, each big-endian (byte order ABCD). */

const view = new DataView(new ArrayBuffer(4));

export function registersToFloat32(high: number, low: number): number {
  view.setUint16(0, high);
  view.setUint16(2, low);
  return view.getFloat32(0);
}

/** The two registers of `value` rounded to float32 (230.2 -> [0x4366, 0x3334]). */
export function float32ToRegisters(value: number): [number, number] {
  view.setFloat32(0, value);
  return [view.getUint16(0), view.getUint16(2)];
}
