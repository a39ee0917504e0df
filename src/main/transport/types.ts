/** One small interface for every byte link: serial, TCP, hidraw, in-memory. */
import type { LinkState } from '../../shared/samples.js';

export interface Transport {
  /** Human-readable identity for logs and health, e.g. `serial:/dev/axpert@2400`. */
  readonly description: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /**
   * A hint after a request went out: its reply is about `bytes` long (0: no reply is expected). A transport
   * on a slow line may then read the reply in one go instead of waking for every chunk; it never holds
   * bytes back longer than they take to arrive at the line rate. Transports without slow chunks ignore it.
   */
  expectReply?(bytes: number): void;
  /** Subscribe to received bytes; returns an unsubscribe function. */
  onData(listener: (chunk: Buffer) => void): () => void;
  /** Link changes: `online` after open, `offline` when the device vanished or the link broke. */
  onLinkState(listener: (state: LinkState, reason?: string) => void): () => void;
}

/**
 * The far end of a byte link, as a device simulator sees it: what it writes arrives at the Transport,
 * what the Transport writes arrives here. Memory links, ptys and TCP sockets all offer this shape.
 */
export interface ByteEndpoint {
  write(data: Uint8Array): void;
  onData(listener: (chunk: Buffer) => void): () => void;
}
