/**
 * A local serial port through the `serialport` package: 8N1, no flow control, and an exclusive lock so a
 * second program (an old cron script, a getty) cannot open the port and eat half of the replies.
 */
import { SerialPort } from 'serialport';
import type { LinkState } from '../../shared/samples.js';
import { classifyOsError, TransportError } from './errors.js';
import { Listeners } from './listeners.js';
import { describeMatch, selectPort, type PortInfoLike, type SerialDeviceMatch } from './serial-identity.js';
import type { Transport } from './types.js';

export interface SerialTransportOptions {
  /** A path (`/dev/axpert`, `/dev/serial/by-id/…`) or a USB serial number. */
  device: SerialDeviceMatch;
  baudRate: number;
  /** Port listing, replaceable in tests; defaults to `SerialPort.list()`. */
  listPorts?: () => Promise<PortInfoLike[]>;
}

export class SerialTransport implements Transport {
  readonly description: string;
  private port: SerialPort | null = null;
  private readonly dataListeners = new Listeners<[Buffer]>();
  private readonly linkListeners = new Listeners<[LinkState, string | undefined]>();

  constructor(private readonly options: SerialTransportOptions) {
    this.description = `serial:${describeMatch(options.device)}@${options.baudRate}`;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.port) return;
    const path = await this.resolvePath();
    const port = new SerialPort({
      path,
      baudRate: this.options.baudRate,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      rtscts: false,
      xon: false,
      xoff: false,
      lock: true,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => {
      port.open((err) => (err ? reject(classifyOsError(this.description, err)) : resolve()));
    });
    this.port = port;
    port.on('data', (chunk: Buffer) => this.dataListeners.emit(chunk));
    // A USB adapter pulled out surfaces as an error and/or a close with `disconnected`; report it once.
    port.on('error', (err: Error) => this.lost(port, classifyOsError(this.description, err).message));
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      this.lost(port, err ? classifyOsError(this.description, err).message : 'port closed');
    });
    this.linkListeners.emit('online', undefined);
  }

  async write(data: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port) throw new TransportError('notOpen', `${this.description}: not open`);
    await new Promise<void>((resolve, reject) => {
      port.write(Buffer.from(data), (err) => {
        if (!err) return resolve();
        // A tty whose device is gone (USB adapter pulled, pty master closed) fails writes with EIO before any close event.
        const error = classifyOsError(this.description, err);
        this.lost(port, error.message);
        reject(error);
      });
    });
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.port = null;
    port.removeAllListeners();
    // Errors while closing a port that already vanished are expected and carry no information.
    port.on('error', () => undefined);
    if (port.isOpen) {
      await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    this.linkListeners.emit('offline', 'closed');
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.dataListeners.add(listener);
  }

  onLinkState(listener: (state: LinkState, reason?: string) => void): () => void {
    return this.linkListeners.add(listener);
  }

  private async resolvePath(): Promise<string> {
    const device = this.options.device;
    if ('path' in device) return device.path;
    const list = this.options.listPorts ?? (() => SerialPort.list());
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

  private lost(port: SerialPort, reason: string): void {
    if (this.port !== port) return;
    this.port = null;
    port.removeAllListeners();
    port.on('error', () => undefined);
    if (port.isOpen) port.close(() => undefined);
    this.linkListeners.emit('offline', reason);
  }
}
