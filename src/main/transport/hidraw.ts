/**
 * Linux `/dev/hidraw*`: the inverter's USB-HID port. The node is opened non-blocking and read on the main
 * thread only when the kernel has a report waiting (a uv_poll on the fd drives serial-reader.ts's
 * FdReader), so an idle line costs no wake-up at all and close() never waits on a blocked read. The
 * kernel hands out one report per `read(2)`; the reports of one wake-up are handed on as one chunk.
 * Requests go out report by report on libuv's thread pool: a hidraw write is a USB transfer the kernel
 * waits for whatever O_NONBLOCK says (up to 5 s for a device that does not answer), which must never stall
 * the event loop; a request or two a second costs little there.
 */
import { close as closeFdCallback, constants, open as openFdCallback, write as writeFdCallback } from 'node:fs';
import { promisify } from 'node:util';
import type { LinkState } from '../../shared/samples.js';
import { classifyOsError, TransportError } from './errors.js';
import { HID_REPORT_SIZE, hidReportPayload, toHidReports } from './hid-reports.js';
import { Listeners } from './listeners.js';
import { readWhenReadable, type PolledReader } from './serial-native.js';
import type { ReadSync } from './serial-reader.js';
import type { Transport } from './types.js';

const writeFd = promisify(writeFdCallback);

export interface HidrawTransportOptions {
  path: string;
  reportSize?: number;
  /**
   * Time one byte of a reply takes to arrive, for reading an announced reply (`expectReply`) in a few
   * wake-ups. The inverter's HID port passes on what its internal 2400-baud UART receives: a report every
   * ~33 ms. Default: 10 bits at 2400 baud.
   */
  msPerByte?: number;
  /** Replaceable in tests. */
  readSync?: ReadSync;
}

/** An open node: its fd, the reader fed by a poll on it and the payloads of the current wake-up. */
interface OpenNode {
  fd: number;
  reading: PolledReader;
  pending: Buffer[];
}

const openFd = promisify(openFdCallback);
const closeFd = promisify(closeFdCallback);
const OPEN_FLAGS = constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY;

export class HidrawTransport implements Transport {
  readonly description: string;
  private node: OpenNode | null = null;
  /** Requests go out one after another: the reports of two requests must not interleave. */
  private writeQueue: Promise<void> = Promise.resolve();
  private readonly reportSize: number;
  private readonly msPerByte: number;
  private readonly dataListeners = new Listeners<[Buffer]>();
  private readonly linkListeners = new Listeners<[LinkState, string | undefined]>();

  constructor(private readonly options: HidrawTransportOptions) {
    this.description = `hidraw:${options.path}`;
    this.reportSize = options.reportSize ?? HID_REPORT_SIZE;
    this.msPerByte = options.msPerByte ?? 10_000 / 2400;
  }

  get isOpen(): boolean {
    return this.node !== null;
  }

  async open(): Promise<void> {
    if (this.node) return;
    let fd: number;
    try {
      // On the thread pool: opening a hidraw node may wake the USB device first.
      fd = await openFd(this.options.path, OPEN_FLAGS);
    } catch (err) {
      throw classifyOsError(this.description, err);
    }
    if (this.node) {
      // Opened twice concurrently: keep the first, give this fd back.
      await closeFd(fd).catch(() => undefined);
      return;
    }
    let reading: PolledReader;
    try {
      reading = readWhenReadable(fd, {
        msPerByte: this.msPerByte,
        // One report per read: the kernel hands out one report per read(2) however large the buffer, and a
        // read that fills the buffer makes the reader read again until the queue of reports is empty.
        bufferBytes: this.reportSize,
        readSync: this.options.readSync,
        onData: (chunk) => this.take(node, chunk),
        onDrained: () => this.deliver(node),
        // EIO once the device is unplugged, a hangup, a failed poll: report it once.
        onEnd: (err) => this.lost(node, classifyOsError(this.description, err).message),
      });
    } catch (err) {
      // epoll refuses the fd (a regular file configured as the path): nothing could ever be read.
      await closeFd(fd).catch(() => undefined);
      throw classifyOsError(this.description, err);
    }
    const node: OpenNode = { fd, reading, pending: [] };
    this.node = node;
    reading.reader.start();
    this.linkListeners.emit('online', undefined);
  }

  write(data: Uint8Array): Promise<void> {
    const node = this.node;
    if (!node) return Promise.reject(new TransportError('notOpen', `${this.description}: not open`));
    const reports = toHidReports(data, this.reportSize);
    const written = this.writeQueue.then(() =>
      this.writeReports(node, reports).catch((err: unknown) => {
        // A node whose device is gone fails writes with EIO or ENODEV, maybe before any read does.
        const error = classifyOsError(this.description, err);
        this.lost(node, error.message);
        throw error;
      }),
    );
    this.writeQueue = written.catch(() => undefined);
    return written;
  }

  private async writeReports(node: OpenNode, reports: readonly Buffer[]): Promise<void> {
    for (const report of reports) {
      if (this.node !== node) throw new TransportError('closed', `${this.description}: closed while writing`);
      // A report goes out whole or not at all.
      await writeFd(node.fd, report, 0, report.length);
    }
  }

  /**
   * Announce the length of the reply to the request just written, so the reader can take it in a few
   * wake-ups instead of one per report. The reply fills whole reports, the last one padded.
   */
  expectReply(bytes: number): void {
    const reports = Math.ceil(Math.max(0, bytes) / this.reportSize);
    this.node?.reading.reader.expect(reports * this.reportSize);
  }

  async close(): Promise<void> {
    const node = this.node;
    if (!node) return;
    this.detach(node);
    // Errors while closing a node whose device already vanished are expected and carry no information.
    await closeFd(node.fd).catch(() => undefined);
    this.linkListeners.emit('offline', 'closed');
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.dataListeners.add(listener);
  }

  onLinkState(listener: (state: LinkState, reason?: string) => void): () => void {
    return this.linkListeners.add(listener);
  }

  /**
   * Keep the stream bytes of what one read returned: one report, as the read buffer is one report long (a
   * pty standing in for the node in tests would hand out several at once to a larger buffer; the cut by
   * report size keeps them apart should the buffer ever grow).
   */
  private take(node: OpenNode, chunk: Buffer): void {
    for (let offset = 0; offset < chunk.length; offset += this.reportSize) {
      node.pending.push(hidReportPayload(chunk.subarray(offset, offset + this.reportSize)));
    }
  }

  /** Hand on the reports of this wake-up as one chunk. */
  private deliver(node: OpenNode): void {
    if (this.node !== node || node.pending.length === 0) return;
    const chunk = node.pending.length === 1 ? (node.pending[0] as Buffer) : Buffer.concat(node.pending);
    node.pending = [];
    this.dataListeners.emit(chunk);
  }

  /** Forget the node: no data or link event from it after this. */
  private detach(node: OpenNode): void {
    node.reading.stop();
    node.pending = [];
    this.node = null;
    this.writeQueue = Promise.resolve();
  }

  private lost(node: OpenNode, reason: string): void {
    // What was read before the end is delivered first; a data listener may close the transport meanwhile.
    this.deliver(node);
    if (this.node !== node) return;
    this.detach(node);
    closeFd(node.fd).catch(() => undefined);
    this.linkListeners.emit('offline', reason);
  }
}
