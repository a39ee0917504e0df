/**
 * Writing to a non-blocking tty on the main thread (the serial transport; hidraw writes stay on the thread
 * pool, see hidraw.ts). A request is a few bytes and the device takes them at once, so one `write(2)` per piece goes out without a
 * thread-pool round trip; only a device that takes nothing (no flow control, so a stuck pty) makes the
 * write wait and retry, up to a deadline.
 */
import { writeSync as fsWriteSync } from 'node:fs';
import { TransportError } from './errors.js';

export type WriteSync = (fd: number, buffer: Buffer, offset: number, length: number) => number;

export interface FdWriteOptions {
  fd: number;
  /** Names the link in errors, e.g. `serial:/dev/axpert@2400`. */
  description: string;
  /** Still the fd to write to; false once the link was closed or lost (the write then fails with `closed`). */
  isCurrent: () => boolean;
  /** Time one byte takes on the line: how long to wait before trying again. */
  msPerByte: number;
  /** Replaceable in tests. */
  writeSync?: WriteSync;
}

const WAIT_AGAIN = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);
/** A request that cannot leave the output queue within this means the line is stuck (a pty nobody reads). */
export const WRITE_STUCK_MS = 2000;

/**
 * Write `pieces` in order, each with one `write(2)` unless the fd takes only part of it; a piece is a
 * unit of the link (an HID report) or the whole request. Rejects with the OS error (EIO: the device is
 * gone), a `closed` TransportError when the link went away while waiting, or an `io` one when the
 * output stayed stuck for WRITE_STUCK_MS.
 */
export async function writeAllToFd(pieces: readonly Buffer[], options: FdWriteOptions): Promise<void> {
  const write = options.writeSync ?? fsWriteSync;
  const deadline = performance.now() + WRITE_STUCK_MS;
  let remaining = pieces.reduce((sum, piece) => sum + piece.length, 0);
  for (const piece of pieces) {
    let offset = 0;
    while (offset < piece.length) {
      if (!options.isCurrent()) throw new TransportError('closed', `${options.description}: closed while writing`);
      try {
        const written = write(options.fd, piece, offset, piece.length - offset);
        offset += written;
        remaining -= written;
        continue;
      } catch (err) {
        if (!WAIT_AGAIN.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
      }
      if (performance.now() > deadline) {
        throw new TransportError('io', `${options.description}: the line takes no more bytes (output queue stuck for ${WRITE_STUCK_MS} ms)`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(5, remaining * options.msPerByte)));
    }
  }
}
