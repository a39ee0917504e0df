/**
 * Cuts a PI30 reply stream into frames for the transport (protocols.md §1.1): a frame starts at `(`
 * and ends at the first CR or LF. Bytes outside a frame (garbage, the stale tail of an earlier reply)
 * and frames that grow past the limit without a terminator are dropped and counted, never returned.
 */

const START = 0x28;
const CR = 0x0d;
const LF = 0x0a;

/** A QPIGS reply is ~120 bytes; nothing PI30 sends comes near this. */
export const DEFAULT_MAX_FRAME_BYTES = 512;

export class Pi30FrameAssembler {
  private readonly buffer: Uint8Array;
  private length = 0;
  private discarded = 0;

  constructor(options: { maxFrameBytes?: number } = {}) {
    const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(max) || max < 4) throw new RangeError(`maxFrameBytes must be an integer >= 4, got ${max}`);
    this.buffer = new Uint8Array(max);
  }

  /** Bytes dropped since construction: outside any frame, or in frames that overflowed or were reset away. */
  get discardedBytes(): number {
    return this.discarded;
  }

  /** Bytes of a frame begun but not yet ended. */
  get pendingBytes(): number {
    return this.length;
  }

  /** Feed received bytes; returns every frame completed by them, in order, each `(` … CR/LF inclusive. */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    // Indexed: for-of over a typed array allocates a result per byte in V8's interpreter.
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (this.length === 0) {
        if (byte === START) this.buffer[this.length++] = byte;
        else this.discarded++;
        continue;
      }
      this.buffer[this.length++] = byte;
      if (byte === CR || byte === LF) {
        frames.push(this.buffer.slice(0, this.length));
        this.length = 0;
      } else if (this.length === this.buffer.length) {
        this.discarded += this.length;
        this.length = 0;
      }
    }
    return frames;
  }

  /** Drop a partial frame (e.g. after a reply timeout). Its bytes count as discarded. */
  reset(): void {
    this.discarded += this.length;
    this.length = 0;
  }
}
