/**
 * Reads a non-blocking tty fd on the main thread whenever it is readable. serialport's stream reads every
 * chunk with `fs.read` on libuv's thread pool (futex hand-offs and an eventfd wake-up per chunk) and then
 * tries once more, failing with EAGAIN, before it waits; a 2400-baud reply arrives in ~20 chunks, so that
 * path cost the daemon most of its idle CPU. Here a readiness event costs one `read(2)` on this thread.
 */
import { readSync } from 'node:fs';

/** The part of bindings-cpp's `Poller` (a uv_poll on the fd) that a reader needs. */
export interface ReadinessPoller {
  /** Arms the poll for one readable event; `err` is set when the poll itself failed or was cancelled. */
  once(event: 'readable', listener: (err: Error | null) => void): unknown;
  removeListener(event: 'readable', listener: (err: Error | null) => void): unknown;
}

export type ReadSync = (fd: number, buffer: Buffer, offset: number, length: number, position: null) => number;

export interface FdReaderOptions {
  fd: number;
  poller: ReadinessPoller;
  /** Bytes as they were read; the buffer is the listener's to keep. */
  onData: (chunk: Buffer) => void;
  /** The fd can no longer be read (device gone, hung up, poll failed); called once, after which the reader is stopped. */
  onEnd: (err: NodeJS.ErrnoException) => void;
  /** Largest single read; the default outruns any UART this program talks to between two event-loop turns. */
  bufferBytes?: number;
  /** Replaceable in tests. */
  readSync?: ReadSync;
}

const WAIT_AGAIN = new Set(['EAGAIN', 'EWOULDBLOCK']);

/** An errno-style error for the ends that come without one from the OS. */
function endError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

export class FdReader {
  private readonly buffer: Buffer;
  private readonly read: ReadSync;
  private running = false;
  private waiting = false;

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

  /** No callback runs after this returns; a pending poll is left to the binding's close to cancel. */
  stop(): void {
    this.running = false;
    if (this.waiting) {
      this.waiting = false;
      this.options.poller.removeListener('readable', this.onReadable);
    }
  }

  private wait(): void {
    this.waiting = true;
    try {
      this.options.poller.once('readable', this.onReadable);
    } catch (err) {
      // uv_poll_start refused the fd (closed under us): nothing more can be read.
      this.waiting = false;
      this.end(err as NodeJS.ErrnoException);
    }
  }

  private readonly onReadable = (err: Error | null): void => {
    this.waiting = false;
    if (!this.running) return;
    // A failed poll (POLLERR when a pty master closes or an adapter goes away) still gets a read: the bytes
    // before the end are delivered, and the read's errno (EIO) says more than the poll's EBADF.
    if (!this.drain(err !== null)) return;
    if (err) this.end(endError((err as NodeJS.ErrnoException).code ?? 'EPOLL', `poll failed: ${err.message}`));
    else this.wait();
  };

  /**
   * Read until the fd would block; false once the reader has stopped (the fd ended, or a data listener
   * closed the port). A read shorter than the buffer emptied the tty's queue, so no EAGAIN round is spent
   * proving it (the poll is level-triggered and fires again at once if more came in) unless `toTheEnd`.
   */
  private drain(toTheEnd: boolean): boolean {
    const size = this.buffer.length;
    for (;;) {
      let bytesRead: number;
      try {
        bytesRead = this.read(this.options.fd, this.buffer, 0, size, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (code === 'EINTR') continue;
        if (WAIT_AGAIN.has(code)) return true;
        // EIO: pty master closed or USB adapter pulled; ENXIO, EBADF: the device or the fd is gone.
        this.end(err as NodeJS.ErrnoException);
        return false;
      }
      if (bytesRead === 0) {
        // A tty opened with VMIN=1 reads 0 only after a hangup: it will never deliver again.
        this.end(endError('EOF', 'the device hung up (end of file)'));
        return false;
      }
      this.options.onData(Buffer.from(this.buffer.subarray(0, bytesRead)));
      if (!this.running) return false;
      if (bytesRead < size && !toTheEnd) return true;
    }
  }

  private end(err: NodeJS.ErrnoException): void {
    this.stop();
    this.options.onEnd(err);
  }
}
