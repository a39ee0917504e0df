/**
 * An in-memory byte link: the Transport side for a driver, the ByteEndpoint side for a simulator.
 * Bytes are delivered on a later tick, as a real port would, so neither side sees its own call stack re-entered.
 * `peer.disconnect()` behaves like pulling the USB plug: the transport goes offline and cannot be opened
 * again until `peer.reconnect()`.
 */
import type { LinkState } from '../../shared/samples.js';
import { TransportError } from './errors.js';
import { Listeners } from './listeners.js';
import type { ByteEndpoint, Transport } from './types.js';

export interface MemoryPeer extends ByteEndpoint {
  disconnect(): void;
  reconnect(): void;
  readonly connected: boolean;
}

export interface MemoryLink {
  transport: Transport;
  peer: MemoryPeer;
}

export class MemoryTransport implements Transport {
  readonly description: string;
  private open_ = false;
  readonly dataListeners = new Listeners<[Buffer]>();
  readonly linkListeners = new Listeners<[LinkState, string | undefined]>();

  constructor(
    description: string,
    private readonly link: MemoryLinkState,
  ) {
    this.description = description;
  }

  get isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    if (this.open_) return;
    if (!this.link.peerConnected) throw new TransportError('missing', `${this.description}: no such device (disconnected)`);
    this.open_ = true;
    this.linkListeners.emit('online', undefined);
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.open_) throw new TransportError('notOpen', `${this.description}: not open`);
    const copy = Buffer.from(data);
    setImmediate(() => {
      if (this.link.peerConnected) this.link.peerData.emit(copy);
    });
  }

  async close(): Promise<void> {
    if (!this.open_) return;
    this.open_ = false;
    this.linkListeners.emit('offline', 'closed');
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.dataListeners.add(listener);
  }

  onLinkState(listener: (state: LinkState, reason?: string) => void): () => void {
    return this.linkListeners.add(listener);
  }

  /** The device vanished under an open port. */
  lose(reason: string): void {
    if (!this.open_) return;
    this.open_ = false;
    this.linkListeners.emit('offline', reason);
  }

  deliver(chunk: Buffer): void {
    if (this.open_) this.dataListeners.emit(chunk);
  }
}

interface MemoryLinkState {
  peerConnected: boolean;
  peerData: Listeners<[Buffer]>;
}

export function createMemoryLink(options: { description?: string } = {}): MemoryLink {
  const state: MemoryLinkState = { peerConnected: true, peerData: new Listeners<[Buffer]>() };
  const transport = new MemoryTransport(options.description ?? 'memory', state);
  const peer: MemoryPeer = {
    get connected() {
      return state.peerConnected;
    },
    write(data: Uint8Array): void {
      if (!state.peerConnected) return;
      const copy = Buffer.from(data);
      setImmediate(() => {
        if (state.peerConnected) transport.deliver(copy);
      });
    },
    onData(listener: (chunk: Buffer) => void): () => void {
      return state.peerData.add(listener);
    },
    disconnect(): void {
      if (!state.peerConnected) return;
      state.peerConnected = false;
      transport.lose('device disconnected');
    },
    reconnect(): void {
      state.peerConnected = true;
    },
  };
  return { transport, peer };
}
