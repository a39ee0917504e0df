/**
 * A local serial port: 8N1, no flow control, and an exclusive lock so a second program (an old cron script,
 * a getty) cannot open the port and eat half of the replies. serialport's native layer opens, configures,
 * locks and closes (serial-native.ts); reads and writes are plain syscalls on the non-blocking fd, on the
 * main thread (serial-reader.ts says why). Linux and macOS only: both give a non-blocking fd to poll.
 */
import type { LinkState } from '../../shared/samples.js';
import { classifyOsError, TransportError } from './errors.js';
import { writeAllToFd } from './fd-write.js';
import { Listeners } from './listeners.js';
import { describeMatch, selectPort, type PortInfoLike, type SerialDeviceMatch } from './serial-identity.js';
import { closeSerialFd, listSerialPorts, openSerialFd, readWhenReadable, serialSupported, type PolledReader } from './serial-native.js';
import type { Transport } from './types.js';

export interface SerialTransportOptions {
  /** A path (`/dev/axpert`, `/dev/serial/by-id/…`) or a USB serial number. */
  device: SerialDeviceMatch;
  baudRate: number;
  /** Port listing, replaceable in tests; defaults to the OS's list. */
  listPorts?: () => Promise<PortInfoLike[]>;
}

/** An open port: its fd and the reader fed by a poll on it. */
interface OpenPort {
  fd: number;
  reading: PolledReader;
}

export class SerialTransport implements Transport {
  readonly description: string;
  private port: OpenPort | null = null;
  /** Writes go out one after another, as the stream layer used to queue them. */
  private writeQueue: Promise<void> = Promise.resolve();
  private readonly dataListeners = new Listeners<[Buffer]>();
  private readonly linkListeners = new Listeners<[LinkState, string | undefined]>();
  /** Ten bits a byte on the wire (8N1). */
  private readonly msPerByte: number;

  constructor(private readonly options: SerialTransportOptions) {
    this.description = `serial:${describeMatch(options.device)}@${options.baudRate}`;
    this.msPerByte = 10_000 / options.baudRate;
  }

  get isOpen(): boolean {
    return this.port !== null;
  }

  async open(): Promise<void> {
    if (this.port) return;
    if (!serialSupported) {
      throw new TransportError('io', `${this.description}: local serial ports are supported on Linux and macOS only (${process.platform})`);
    }
    const path = await this.resolvePath();
    let fd: number;
    try {
      fd = await openSerialFd(path, this.options.baudRate);
    } catch (err) {
      throw classifyOsError(this.description, err);
    }
    if (this.port) {
      // Opened twice concurrently: keep the first, give this fd back.
      await closeSerialFd(fd).catch(() => undefined);
      return;
    }
    const reading = readWhenReadable(fd, {
      msPerByte: this.msPerByte,
      onData: (chunk) => this.dataListeners.emit(chunk),
      // EIO/ENXIO from a pulled USB adapter or a closed pty master, a hangup, a failed poll: report it once.
      onEnd: (err) => this.lost(port, classifyOsError(this.description, err).message),
    });
    const port: OpenPort = { fd, reading };
    this.port = port;
    reading.reader.start();
    this.linkListeners.emit('online', undefined);
  }

  write(data: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port) return Promise.reject(new TransportError('notOpen', `${this.description}: not open`));
    const bytes = Buffer.from(data);
    const written = this.writeQueue.then(() =>
      this.writeAll(port, bytes).catch((err: unknown) => {
        // A tty whose device is gone (USB adapter pulled, pty master closed) fails writes with EIO, maybe before any read does.
        const error = classifyOsError(this.description, err);
        this.lost(port, error.message);
        throw error;
      }),
    );
    this.writeQueue = written.catch(() => undefined);
    return written;
  }

  /** Announce the length of the reply to the request just written, so the reader can take it in fewer wake-ups. */
  expectReply(bytes: number): void {
    this.port?.reading.reader.expect(bytes);
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.detach(port);
    // Errors while closing a port that already vanished are expected and carry no information.
    await closeSerialFd(port.fd).catch(() => undefined);
    this.linkListeners.emit('offline', 'closed');
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.dataListeners.add(listener);
  }

  onLinkState(listener: (state: LinkState, reason?: string) => void): () => void {
    return this.linkListeners.add(listener);
  }

  /**
   * A request is a few bytes and the tty's output queue holds kilobytes, so one `write(2)` on this thread
   * takes it; only a queue that does not drain (no flow control, so a stuck pty) makes it wait and retry.
   */
  private writeAll(port: OpenPort, bytes: Buffer): Promise<void> {
    return writeAllToFd([bytes], { fd: port.fd, description: this.description, isCurrent: () => this.port === port, msPerByte: this.msPerByte });
  }

  private async resolvePath(): Promise<string> {
    const device = this.options.device;
    if ('path' in device) return device.path;
    const list = this.options.listPorts ?? listSerialPorts;
    let ports: PortInfoLike[];
    try {
      ports = await list();
    } catch (err) {
      throw classifyOsError(this.description, err);
    }
    const selected = selectPort(device, ports);
    if (selected instanceof TransportError) throw selected;
    return selected;
  }

  /** Forget the port: no data or link event from it after this. */
  private detach(port: OpenPort): void {
    port.reading.stop();
    this.port = null;
    this.writeQueue = Promise.resolve();
  }

  private lost(port: OpenPort, reason: string): void {
    if (this.port !== port) return;
    this.detach(port);
    closeSerialFd(port.fd).catch(() => undefined);
    this.linkListeners.emit('offline', reason);
  }
}
