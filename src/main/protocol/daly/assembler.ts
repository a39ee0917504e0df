/**
 * Cuts a Daly byte stream (split reads, several frames per read, line noise) into 13-byte frames.
 * A frame is accepted only where 0xA5, the length byte 0x08 and the checksum all agree; anything else
 * is dropped one byte at a time until the next 0xA5.
 */
import { DALY_DATA_LENGTH, DALY_FRAME_LENGTH, DALY_START_BYTE, dalyChecksum } from './frame.js';

export class DalyFrameAssembler {
  private buffer = new Uint8Array(0);
  private discarded = 0;

  /** Bytes thrown away since construction (noise, broken frames, and what `reset` dropped). */
  get discardedBytes(): number {
    return this.discarded;
  }

  /** Bytes held back as the start of a frame still arriving. */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer, 0);
    joined.set(chunk, this.buffer.length);
    const frames: Uint8Array[] = [];
    let pos = 0;
    while (pos < joined.length) {
      if (joined[pos] !== DALY_START_BYTE) {
        pos++;
        this.discarded++;
        continue;
      }
      const available = joined.length - pos;
      if (available > 3 && joined[pos + 3] !== DALY_DATA_LENGTH) {
        pos++;
        this.discarded++;
        continue;
      }
      if (available < DALY_FRAME_LENGTH) break;
      if (dalyChecksum(joined, pos) !== joined[pos + DALY_FRAME_LENGTH - 1]) {
        pos++;
        this.discarded++;
        continue;
      }
      frames.push(joined.slice(pos, pos + DALY_FRAME_LENGTH));
      pos += DALY_FRAME_LENGTH;
    }
    this.buffer = joined.slice(pos);
    return frames;
  }

  /** Forget a partial frame, e.g. before a new request; its bytes count as discarded. */
  reset(): void {
    this.discarded += this.buffer.length;
    this.buffer = new Uint8Array(0);
  }
}
