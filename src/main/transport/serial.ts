/**
 * A local serial port: 8N1, no flow control, and an exclusive lock so a second program (an old cron script,
 * a getty) cannot open the port and eat half of the replies. bindings-cpp (serialport's native layer) opens,
 * configures, locks, writes and closes; reads bypass its stream (see serial-reader.ts for why).
 * Linux and macOS only: both bindings give a non-blocking fd and a poller on it.
 */
import { DarwinBinding, LinuxBinding, type OpenOptions, type PortInfo } from '@serialport/bindings-cpp';
import type { LinkState } from '../../shared/samples.js';
import { classifyOsError, TransportError } from './errors.js';
import { Listeners } from './listeners.js';
import { describeMatch, selectPort, type PortInfoLike, type SerialDeviceMatch } from './serial-identity.js';
import { FdReader, type ReadinessPoller } from './serial-reader.js';
import type { Transport } from './types.js';

export interface SerialTransportOptions {
  /** A path (`/dev/axpert`, `/dev/serial/by-id/…`) or a USB serial number. */
  device: SerialDeviceMatch;
  baudRate: number;
  /** Port listing, replaceable in tests; defaults to the binding's `list()`. */
  listPorts?: () => Promise<PortInfoLike[]>;
}

/** What the Linux and Darwin port bindings have in common and this transport uses. */
interface UnixPort {
  readonly fd: number | null;
  readonly poller: ReadinessPoller;
  readonly isOpen: boolean;
  write(data: Buffer): Promise<void>;
  close(): Promise<void>;
}

interface UnixBinding {
  open(options: OpenOptions): Promise<UnixPort>;
  list(): Promise<PortInfo[]>;
}

const platformBinding: UnixBinding | null =
  process.platform === 'linux' ? LinuxBinding : process.platform === 'darwin' ? DarwinBinding : null;

export class SerialTransport implements Transport {
  readonly description: string;
  private port: UnixPort | null = null;
  private reader: FdReader | null = null;
  /** Writes go out one after another, as the stream layer used to queue them. */
  private writeQueue: Promise<void> = Promise.resolve();
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
    const binding = this.binding();
    const path = await this.resolvePath(binding);
    let port: UnixPort;
    try {
      port = await binding.open({ path, baudRate: this.options.baudRate, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false, xon: false, xoff: false, lock: true });
    } catch (err) {
      throw classifyOsError(this.description, err);
    }
    if (port.fd === null) throw new TransportError('io', `${this.description}: the binding opened no file descriptor`);
    this.port = port;
    this.reader = new FdReader({
      fd: port.fd,
      poller: port.poller,
      onData: (chunk) => this.dataListeners.emit(chunk),
      // EIO/ENXIO from a pulled USB adapter or a closed pty master, a hangup, a failed poll: report it once.
      onEnd: (err) => this.lost(port, classifyOsError(this.description, err).message),
    });
    this.reader.start();
    this.linkListeners.emit('online', undefined);
  }

  write(data: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port) return Promise.reject(new TransportError('notOpen', `${this.description}: not open`));
    const bytes = Buffer.from(data);
    const written = this.writeQueue.then(() =>
      port.write(bytes).catch((err: unknown) => {
        // A tty whose device is gone (USB adapter pulled, pty master closed) fails writes with EIO, maybe before any read does.
        const error = classifyOsError(this.description, err);
        this.lost(port, error.message);
        throw error;
      }),
    );
    this.writeQueue = written.catch(() => undefined);
    return written;
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.detach();
    // Errors while closing a port that already vanished are expected and carry no information.
    if (port.isOpen) await port.close().catch(() => undefined);
    this.linkListeners.emit('offline', 'closed');
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.dataListeners.add(listener);
  }

  onLinkState(listener: (state: LinkState, reason?: string) => void): () => void {
    return this.linkListeners.add(listener);
  }

  private binding(): UnixBinding {
    if (platformBinding) return platformBinding;
    throw new TransportError('io', `${this.description}: local serial ports are supported on Linux and macOS only (${process.platform})`);
  }

  private async resolvePath(binding: UnixBinding): Promise<string> {
    const device = this.options.device;
    if ('path' in device) return device.path;
    const list = this.options.listPorts ?? (() => binding.list());
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
  private detach(): void {
    this.reader?.stop();
    this.reader = null;
    this.port = null;
    this.writeQueue = Promise.resolve();
  }

  private lost(port: UnixPort, reason: string): void {
    if (this.port !== port) return;
    this.detach();
    if (port.isOpen) port.close().catch(() => undefined);
    this.linkListeners.emit('offline', reason);
  }
}
