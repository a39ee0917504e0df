/** Serial-over-IP (ser2net, a USR/Elfin RS-485 gateway): the raw byte stream of a remote port on a TCP socket. */
import { Socket } from 'node:net';
import type { LinkState } from '../../shared/samples.js';
import { classifyOsError, TransportError } from './errors.js';
import { Listeners } from './listeners.js';
import type { Transport } from './types.js';

export interface TcpTransportOptions {
  host: string;
  port: number;
  connectTimeoutMs?: number;
}

export class TcpTransport implements Transport {
  readonly description: string;
  private socket: Socket | null = null;
  private readonly dataListeners = new Listeners<[Buffer]>();
  private readonly linkListeners = new Listeners<[LinkState, string | undefined]>();

  constructor(private readonly options: TcpTransportOptions) {
    this.description = `tcp:${options.host}:${options.port}`;
  }

  get isOpen(): boolean {
    return this.socket !== null;
  }

  async open(): Promise<void> {
    if (this.socket) return;
    const socket = new Socket();
    const timeoutMs = this.options.connectTimeoutMs ?? 5000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TransportError('missing', `${this.description}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        socket.destroy();
        reject(classifyOsError(this.description, err));
      });
      socket.connect(this.options.port, this.options.host, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve();
      });
    });
    socket.setNoDelay(true);
    // Detects a gateway that was powered off without closing the connection.
    socket.setKeepAlive(true, 10_000);
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.dataListeners.emit(chunk));
    socket.on('error', (err) => this.lost(socket, classifyOsError(this.description, err).message));
    socket.on('close', () => this.lost(socket, 'connection closed by the remote end'));
    this.linkListeners.emit('online', undefined);
  }

  async write(data: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket) throw new TransportError('notOpen', `${this.description}: not open`);
    await new Promise<void>((resolve, reject) => {
      socket.write(data, (err) => (err ? reject(classifyOsError(this.description, err)) : resolve()));
    });
  }

  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    socket.removeAllListeners();
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
    this.linkListeners.emit('offline', 'closed');
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.dataListeners.add(listener);
  }

  onLinkState(listener: (state: LinkState, reason?: string) => void): () => void {
    return this.linkListeners.add(listener);
  }

  private lost(socket: Socket, reason: string): void {
    if (this.socket !== socket) return;
    this.socket = null;
    socket.removeAllListeners();
    socket.on('error', () => undefined);
    socket.destroy();
    this.linkListeners.emit('offline', reason);
  }
}
