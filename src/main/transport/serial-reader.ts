/**
 * Reads a non-blocking tty (or hidraw) fd on the main thread whenever it is readable. serialport's stream
 * reads every chunk with `fs.read` on libuv's thread pool (futex hand-offs and an eventfd wake-up per
 * chunk) and then tries once more, failing with EAGAIN, before it waits. Here a readiness event costs one
 * `read(2)` on this thread.
 *
 * A slow line delivers a reply in many small chunks (a USB adapter hands over what it has every ~16 ms:
 * a 110-byte reply at 2400 baud comes as ~20 chunks), and every chunk would wake the process. When the
 * caller says how long the reply will be (`expect`), the reader takes the first chunk, then sleeps until
 * the rest is nearly through on the wire and reads it in one go; the last chunk or two are read as they
 * come, so the end of a reply is not read later than without the announcement.
 */
import { readSync } from 'node:fs';

/** A readiness poll on the fd that reports each event to `FdReader.onReadable`. */
export interface ReadinessPoller {
  /** Ask for one readable event (bytes already waiting make it immediate). */
  arm(): void;
  /** Withdraw the request; no event is reported after this until the next `arm`. */
  disarm(): void;
}

export type ReadSync = (fd: number, buffer: Buffer, offset: number, length: number, position: null) => number;

export interface FdReaderOptions {
  fd: number;
  poller: ReadinessPoller;
  /** Bytes as they were read; the buffer is the listener's to keep. */
  onData: (chunk: Buffer) => void;
  /**
   * The reads of one wake-up (a readable event, or the end of a sleep on a reply) are over and delivered
   * bytes. A caller whose reads are small (one HID report each) gathers them in `onData` and hands them on
   * here, once per wake-up. Not called when the wake-up ended the reader: `onEnd` comes instead.
   */
  onDrained?: () => void;
  /** The fd can no longer be read (device gone, hung up, poll failed); called once, after which the reader is stopped. */
  onEnd: (err: NodeJS.ErrnoException) => void;
  /** Time one byte takes on the line (10 bits at the baud rate); without it `expect` changes nothing. */
  msPerByte?: number;
  /** Largest single read; the default outruns any UART this program talks to between two event-loop turns. */
  bufferBytes?: number;
  /** Replaceable in tests. */
  readSync?: ReadSync;
}

const WAIT_AGAIN = new Set(['EAGAIN', 'EWOULDBLOCK']);
/**
 * The sleep ends this much before the announced bytes are through: a chunk is handed over up to one USB
 * latency period (~16 ms) after its first byte, so the reply's end comes through the poll, on time.
 */
const HOLD_EARLY_MS = 20;
/** Sleeping on a reply is worth it only when more than a chunk or two is still to come. */
const MIN_HOLD_MS = 20;
/** However long the announced reply, the line is looked at again within this. */
const MAX_HOLD_MS = 1000;

/** An errno-style error for the ends that come without one from the OS. */
function endError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

export class FdReader {
  private readonly buffer: Buffer;
  private readonly read: ReadSync;
  private running = false;
  private waiting = false;
  private holdTimer: NodeJS.Timeout | null = null;
  /** Bytes of the announced reply not read yet. */
  private expected = 0;
  /** Bytes read since the announcement: the sleep starts only once the reply has begun. */
  private readSinceAnnounced = 0;

  constructor(private readonly options: FdReaderOptions) {
    this.buffer = Buffer.allocUnsafe(options.bufferBytes ?? 4096);
    this.read = options.readSync ?? readSync;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Wait for the fd to become readable (bytes already waiting make that immediate). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.wait();
  }

  /** No callback runs after this returns. */
  stop(): void {
    this.running = false;
    this.expected = 0;
    if (this.holdTimer) {
      clearTimeout(this.holdTimer);
      this.holdTimer = null;
    }
    if (this.waiting) {
      this.waiting = false;
      this.options.poller.disarm();
    }
  }

  /** A reply of `bytes` bytes is on its way (0: none is); it may be read in fewer wake-ups. */
  expect(bytes: number): void {
    this.expected = Math.max(0, Math.floor(bytes));
    this.readSinceAnnounced = 0;
  }

  /** The poller's report: the fd is readable, or the poll failed (`err`). */
  readonly onReadable = (err: Error | null): void => {
    if (!this.running || !this.waiting) return;
    this.waiting = false;
    // A failed poll (POLLERR when a pty master closes or an adapter goes away) still gets a read: the bytes
    // before the end are delivered, and the read's errno (EIO) says more than the poll's EBADF.
    const bytesRead = this.drain(err !== null);
    if (bytesRead === null || !this.drained(bytesRead)) return;
    if (err) this.end(endError((err as NodeJS.ErrnoException).code ?? 'EPOLL', `poll failed: ${err.message}`));
    else this.next(true);
  };

  /** Sleep through the rest of an announced reply, or wait for the next chunk. */
  private next(lineIsDelivering: boolean): void {
    const holdMs = this.expected * (this.options.msPerByte ?? 0) - HOLD_EARLY_MS;
    // Announced while the previous reply was being read: wait for the first chunk of the new one.
    if (!lineIsDelivering || holdMs < MIN_HOLD_MS || this.readSinceAnnounced === 0) {
      // The line went quiet before the announced end (a shorter reply, a slow device): read chunk by chunk.
      if (!lineIsDelivering) this.expected = 0;
      this.wait();
      return;
    }
    this.holdTimer = setTimeout(this.onHoldEnd, Math.min(holdMs, MAX_HOLD_MS));
  }

  private readonly onHoldEnd = (): void => {
    this.holdTimer = null;
    if (!this.running) return;
    const bytesRead = this.drain(false);
    if (bytesRead !== null && this.drained(bytesRead)) this.next(bytesRead > 0);
  };

  /** Report the end of a wake-up's reads; false if the caller stopped the reader meanwhile. */
  private drained(bytesRead: number): boolean {
    if (bytesRead > 0) this.options.onDrained?.();
    return this.running;
  }

  private wait(): void {
    this.waiting = true;
    try {
      this.options.poller.arm();
    } catch (err) {
      // uv_poll_start refused the fd (closed under us): nothing more can be read.
      this.waiting = false;
      this.end(err as NodeJS.ErrnoException);
    }
  }

  /**
   * Read until the fd would block; the bytes read, or null once the reader has stopped (the fd ended, or
   * a data listener closed the port). A read shorter than the buffer emptied the tty's queue, so no EAGAIN
   * round is spent proving it (the poll is level-triggered and fires again at once if more came in) unless
   * `toTheEnd`.
   */
  private drain(toTheEnd: boolean): number | null {
    const size = this.buffer.length;
    let total = 0;
    for (;;) {
      let bytesRead: number;
      try {
        bytesRead = this.read(this.options.fd, this.buffer, 0, size, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (code === 'EINTR') continue;
        if (WAIT_AGAIN.has(code)) return total;
        // EIO: pty master closed or USB adapter pulled; ENXIO, EBADF: the device or the fd is gone.
        this.end(err as NodeJS.ErrnoException);
        return null;
      }
      if (bytesRead === 0) {
        // A tty opened with VMIN=1 reads 0 only after a hangup: it will never deliver again.
        this.end(endError('EOF', 'the device hung up (end of file)'));
        return null;
      }
      total += bytesRead;
      this.readSinceAnnounced += bytesRead;
      this.expected = Math.max(0, this.expected - bytesRead);
      this.options.onData(Buffer.from(this.buffer.subarray(0, bytesRead)));
      if (!this.running) return null;
      if (bytesRead < size && !toTheEnd) return total;
    }
  }

  private end(err: NodeJS.ErrnoException): void {
    this.stop();
    this.options.onEnd(err);
  }
}
