/**
 * What every device simulator shares: it listens on any number of byte endpoints, reassembles requests
 * from the byte stream, answers one request at a time per endpoint after a realistic latency, paces the
 * reply at the line rate, and applies injected faults. Subclasses only turn a request into reply frames.
 */
import type { ByteEndpoint } from '../../transport/types.js';
import { createRandom, type Random } from '../plant/random.js';
import { DEFAULT_DISCONNECT_MS, DEFAULT_SLOW_DELAY_MS, FaultQueue, type FaultKind, type FaultSpec } from './faults.js';

/** An endpoint that can also be unplugged (the memory link's peer can; a TCP socket is closed instead). */
export interface SimEndpoint extends ByteEndpoint {
  disconnect?(): void;
  reconnect?(): void;
}

export interface SimulatorOptions {
  /** Send replies at the line rate (default true). Off for fast tests. */
  pacing?: boolean;
  /** Line rate used for pacing, baud (8N1: ten bits per byte). */
  baud?: number;
  /** Time from the end of a request to the first reply byte, ms. */
  latencyMs?: number;
  /** Time runs this many times faster: latency and pacing are divided by it (default 1). */
  speed?: number;
  /** Seed for garbage bytes (default 1). */
  seed?: number;
  /** Clock for fault windows (default Date.now). */
  now?: () => number;
}

export interface RequestAssembler {
  push(chunk: Uint8Array): Uint8Array[];
}

/** One exchange as the simulator saw it, for tests and logs. */
export interface SimExchange {
  request: Uint8Array;
  /** Bytes sent back (after any fault), null when nothing was sent. */
  reply: Uint8Array | null;
  fault: FaultKind | null;
}

export interface SimulatorStats {
  requests: number;
  replies: number;
  ignored: number;
  faultsApplied: number;
}

interface Attachment {
  endpoint: SimEndpoint;
  assembler: RequestAssembler;
  unsubscribe: () => void;
  queue: Uint8Array[];
  busy: boolean;
  /** Pty and TCP links without an unplug of their own go deaf for a disconnect instead. */
  deafUntilMs: number;
}

const CHUNK_INTERVAL_MS = 20;

export abstract class DeviceSimulator {
  private readonly attachments = new Set<Attachment>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly exchangeListeners = new Set<(exchange: SimExchange) => void>();
  private readonly disconnectListeners = new Set<(durationMs: number) => void>();
  protected readonly faults: FaultQueue;
  private readonly random: Random;
  private readonly now: () => number;
  private readonly counters: SimulatorStats = { requests: 0, replies: 0, ignored: 0, faultsApplied: 0 };
  private closed = false;
  readonly pacing: boolean;
  readonly baud: number;
  readonly latencyMs: number;
  readonly speed: number;

  protected constructor(defaults: { baud: number; latencyMs: number }, options: SimulatorOptions) {
    this.pacing = options.pacing ?? true;
    this.baud = options.baud ?? defaults.baud;
    this.latencyMs = options.latencyMs ?? defaults.latencyMs;
    this.speed = options.speed && options.speed > 0 ? options.speed : 1;
    this.now = options.now ?? Date.now;
    this.faults = new FaultQueue(this.now);
    this.random = createRandom(options.seed ?? 1);
  }

  /** Build a fresh request assembler for a new endpoint. */
  protected abstract createAssembler(): RequestAssembler;

  /** Reply frames for one request, or null when the device would stay silent (not addressed, unknown id). */
  protected abstract respond(request: Uint8Array): Uint8Array[] | null;

  /** The device's refusal for `nak` faults (PI30 NAK, Modbus exception, Daly zeros). */
  protected abstract refusal(request: Uint8Array, reply: Uint8Array[]): Uint8Array[];

  /** The reply with its checksum broken. */
  protected abstract breakChecksum(reply: Uint8Array[]): Uint8Array[];

  /** Hook for subclasses that drop requests on their own (a sleeping BMS, an unpowered meter). */
  protected accepts(_request: Uint8Array): boolean {
    return true;
  }

  /** Listen on an endpoint; returns a function that detaches it. */
  attach(endpoint: SimEndpoint): () => void {
    if (this.closed) throw new Error('simulator is closed');
    const attachment: Attachment = {
      endpoint,
      assembler: this.createAssembler(),
      unsubscribe: () => undefined,
      queue: [],
      busy: false,
      deafUntilMs: 0,
    };
    attachment.unsubscribe = endpoint.onData((chunk) => this.receive(attachment, chunk));
    this.attachments.add(attachment);
    return () => {
      attachment.unsubscribe();
      this.attachments.delete(attachment);
    };
  }

  /** Script a fault; see FaultSpec. `disconnect` takes effect immediately. */
  injectFault(fault: FaultSpec): void {
    if (fault.kind === 'disconnect') {
      const durationMs = fault.durationMs ?? DEFAULT_DISCONNECT_MS;
      if (!(Number.isFinite(durationMs) && durationMs >= 0)) throw new RangeError('fault durationMs must be a non-negative number');
      this.counters.faultsApplied++;
      this.disconnect(durationMs);
      return;
    }
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  stats(): SimulatorStats {
    return { ...this.counters };
  }

  onExchange(listener: (exchange: SimExchange) => void): () => void {
    this.exchangeListeners.add(listener);
    return () => this.exchangeListeners.delete(listener);
  }

  /** Called when a disconnect fault fires, so servers (TCP) can drop their sockets for the duration. */
  onDisconnect(listener: (durationMs: number) => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  /** Detach every endpoint and cancel every pending reply. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const attachment of this.attachments) attachment.unsubscribe();
    this.attachments.clear();
  }

  protected emitExchange(exchange: SimExchange): void {
    for (const listener of this.exchangeListeners) listener(exchange);
  }

  protected garbageBytes(length: number): Uint8Array {
    return Uint8Array.from({ length }, () => Math.floor(this.random() * 256));
  }

  private disconnect(durationMs: number): void {
    const untilMs = this.now() + durationMs;
    for (const attachment of this.attachments) {
      attachment.queue.length = 0;
      if (attachment.endpoint.disconnect) attachment.endpoint.disconnect();
      else attachment.deafUntilMs = untilMs;
    }
    for (const listener of this.disconnectListeners) listener(durationMs);
    this.later(durationMs, () => {
      for (const attachment of this.attachments) attachment.endpoint.reconnect?.();
    });
  }

  private receive(attachment: Attachment, chunk: Uint8Array): void {
    if (this.closed || this.now() < attachment.deafUntilMs) return;
    for (const request of attachment.assembler.push(chunk)) attachment.queue.push(request);
    this.pump(attachment);
  }

  private pump(attachment: Attachment): void {
    if (attachment.busy || this.closed) return;
    const request = attachment.queue.shift();
    if (!request) return;
    attachment.busy = true;
    this.counters.requests++;
    const done = () => {
      attachment.busy = false;
      this.pump(attachment);
    };
    const reply = this.accepts(request) ? this.respond(request) : null;
    if (!reply) {
      this.counters.ignored++;
      this.emitExchange({ request, reply: null, fault: null });
      this.later(0, done);
      return;
    }
    const fault = this.faults.take();
    if (fault) this.counters.faultsApplied++;
    let bytes = concat(reply);
    let delayMs = this.latencyMs / this.speed;
    switch (fault?.kind) {
      case 'silence':
        this.emitExchange({ request, reply: null, fault: 'silence' });
        this.later(delayMs, done);
        return;
      case 'garbage': {
        const noise = this.garbageBytes(Math.max(8, Math.min(40, bytes.length)));
        bytes = fault.keepReply ? concat([noise, bytes]) : noise;
        break;
      }
      case 'badCrc':
        bytes = concat(this.breakChecksum(reply));
        break;
      case 'truncate':
        bytes = bytes.slice(0, Math.max(1, Math.floor(bytes.length / 2)));
        break;
      case 'nak':
        bytes = concat(this.refusal(request, reply));
        break;
      case 'slow':
        delayMs += fault.delayMs ?? DEFAULT_SLOW_DELAY_MS;
        break;
      default:
        break;
    }
    this.counters.replies++;
    this.emitExchange({ request, reply: bytes, fault: fault?.kind ?? null });
    this.later(delayMs, () => this.send(attachment, bytes, done));
  }

  /**
   * Write at the line rate, a few bytes every 20 ms as a USB adapter hands them over: each piece when its
   * last byte would be through the UART, so the reply ends when its last byte would be on the wire.
   */
  private send(attachment: Attachment, bytes: Uint8Array, done: () => void): void {
    if (this.now() < attachment.deafUntilMs) return done();
    if (!this.pacing) {
      attachment.endpoint.write(bytes);
      return done();
    }
    const bytesPerSecond = (this.baud / 10) * this.speed;
    const chunkBytes = Math.max(1, Math.round((bytesPerSecond * CHUNK_INTERVAL_MS) / 1000));
    const wireMs = (count: number): number => (count / bytesPerSecond) * 1000;
    let offset = 0;
    const next = (): void => {
      if (this.closed || this.now() < attachment.deafUntilMs) return done();
      const end = Math.min(offset + chunkBytes, bytes.length);
      attachment.endpoint.write(bytes.subarray(offset, end));
      offset = end;
      if (offset < bytes.length) this.later(wireMs(Math.min(chunkBytes, bytes.length - offset)), next);
      else done();
    };
    this.later(wireMs(Math.min(chunkBytes, bytes.length)), next);
  }

  private later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) fn();
    }, Math.max(0, ms));
    this.timers.add(timer);
  }
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
