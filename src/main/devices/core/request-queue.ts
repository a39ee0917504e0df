/**
 * One request on the wire at a time. Each exchange writes its request, feeds the frames the protocol's
 * assembler cuts from the byte stream to the exchange until it has its answer, and gives up after a
 * per-attempt timeout; failed attempts are retried a bounded number of times. Bytes that arrive while no
 * request is outstanding are stale (a late reply, line noise) and are dropped. The length of each command's
 * last good reply is remembered and announced to the transport with the next request of that command, so a
 * slow line can deliver the reply in one piece (Transport.expectReply).
 */
import type { DecodeError, Result } from '../../../shared/result.js';
import type { Transport } from '../../transport/types.js';

/** Cuts a byte stream into candidate frames (the codecs' assemblers fit this shape). */
export interface FrameAssembler {
  push(chunk: Uint8Array): Uint8Array[];
  reset(): void;
}

/** What an exchange says about one frame: wait for more, skip it (not ours), or finish with a result. */
export type ExchangeStep<T> = { kind: 'more' } | { kind: 'done'; result: Result<T> };

export interface Exchange<T> {
  /** Short name for stats and messages, e.g. `QPIGS` or `0x95`. */
  label: string;
  request: Uint8Array;
  accept(frame: Uint8Array): ExchangeStep<T>;
  timeoutMs: number;
  /** Extra attempts after the first; 0 for commands that must not be repeated blindly. */
  retries: number;
  /** `high` jumps ahead of queued polls (setting commands). */
  priority?: 'high' | 'normal';
  /**
   * After a good reply, wait until the line has been quiet this long before the next request (at most
   * ten times as long): some devices keep sending frames nobody needs and ignore requests meanwhile.
   */
  settleMs?: number;
  /** Frame assembly for this exchange alone (Modbus RTU frames are found by the reply length the request implies). */
  assembler?: FrameAssembler;
}

export type ExchangeFailure =
  /** Nothing arrived before the timeout. */
  | { kind: 'timeout'; message: string }
  /** Bytes arrived, but no frame the exchange could accept (bad checksum, truncated, noise). */
  | { kind: 'garbled'; message: string }
  /** A frame arrived and the codec refused it. */
  | { kind: 'decode'; error: DecodeError }
  | { kind: 'offline'; message: string }
  | { kind: 'stopped'; message: string };

export type ExchangeResult<T> =
  | { ok: true; value: T; latencyMs: number; attempts: number }
  | { ok: false; failure: ExchangeFailure; attempts: number };

/** One attempt's outcome, for statistics. */
export type AttemptOutcome = { ok: true; latencyMs: number } | { ok: false; failure: ExchangeFailure };

export interface RequestQueueOptions {
  onAttempt?: (label: string, outcome: AttemptOutcome) => void;
  /** Whether a failed attempt is worth repeating; by default a NAK or an implausible reply is an answer. */
  shouldRetry?: (failure: ExchangeFailure) => boolean;
  /** Clock for latencies; replaceable in tests. */
  now?: () => number;
}

const NOT_RETRIED = new Set(['nak', 'implausible', 'exception', 'unknownCommand', 'badArgument']);

export function defaultShouldRetry(failure: ExchangeFailure): boolean {
  if (failure.kind === 'timeout' || failure.kind === 'garbled') return true;
  if (failure.kind === 'decode') return !NOT_RETRIED.has(failure.error.code);
  return false;
}

interface Pending {
  exchange: Exchange<unknown>;
  resolve: (result: ExchangeResult<unknown>) => void;
}

interface Active {
  assembler: FrameAssembler;
  accept: (frame: Uint8Array) => void;
  bytesSeen: number;
  /** Bytes of the frames handed to the exchange: the reply's length without noise around it. */
  frameBytes: number;
  fail: (failure: ExchangeFailure) => void;
}

export class RequestQueue {
  private readonly pending: Pending[] = [];
  private active: Active | null = null;
  private running = false;
  private closed = false;
  private readonly unsubscribe: Array<() => void>;
  private readonly now: () => number;
  private lastDataAt = -Infinity;
  private settleTimer: { timer: NodeJS.Timeout; done: () => void } | null = null;
  /** Length of the last good reply, per exchange label. */
  private readonly replyBytes = new Map<string, number>();

  constructor(
    private readonly transport: Transport,
    private readonly assembler: FrameAssembler | null,
    private readonly options: RequestQueueOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.unsubscribe = [
      transport.onData((chunk) => this.onData(chunk)),
      transport.onLinkState((state, reason) => {
        if (state === 'offline') this.failAll({ kind: 'offline', message: `${transport.description}: ${reason ?? 'offline'}` });
      }),
    ];
  }

  /** Requests waiting behind the one on the wire. */
  get queued(): number {
    return this.pending.length;
  }

  get busy(): boolean {
    return this.running;
  }

  run<T>(exchange: Exchange<T>): Promise<ExchangeResult<T>> {
    if (this.closed) return Promise.resolve({ ok: false, failure: { kind: 'stopped', message: 'device stopped' }, attempts: 0 });
    return new Promise<ExchangeResult<T>>((resolve) => {
      const item: Pending = { exchange, resolve: resolve as (r: ExchangeResult<unknown>) => void };
      if (exchange.priority === 'high') {
        const firstNormal = this.pending.findIndex((p) => p.exchange.priority !== 'high');
        this.pending.splice(firstNormal === -1 ? this.pending.length : firstNormal, 0, item);
      } else {
        this.pending.push(item);
      }
      void this.pump();
    });
  }

  /** Fail everything queued and on the wire, stop listening, leave no timer behind. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.failAll({ kind: 'stopped', message: 'device stopped' });
    for (const off of this.unsubscribe) off();
  }

  private failAll(failure: ExchangeFailure): void {
    this.settleTimer?.done();
    this.active?.fail(failure);
    for (const item of this.pending.splice(0)) item.resolve({ ok: false, failure, attempts: 0 });
  }

  private onData(chunk: Buffer): void {
    this.lastDataAt = this.now();
    const active = this.active;
    if (!active) return;
    active.bytesSeen += chunk.length;
    const frames = active.assembler.push(chunk);
    for (let i = 0; i < frames.length; i++) {
      if (this.active !== active) return;
      active.accept(frames[i] as Uint8Array);
    }
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.pending.shift(); item; item = this.pending.shift()) {
        item.resolve(await this.runExchange(item.exchange));
      }
    } finally {
      this.running = false;
    }
  }

  private async runExchange(exchange: Exchange<unknown>): Promise<ExchangeResult<unknown>> {
    const shouldRetry = this.options.shouldRetry ?? defaultShouldRetry;
    let attempts = 0;
    for (;;) {
      attempts++;
      const outcome = await this.attempt(exchange);
      if (outcome.ok) {
        this.options.onAttempt?.(exchange.label, { ok: true, latencyMs: outcome.latencyMs });
        if (exchange.settleMs) await this.settle(exchange.settleMs);
        return { ok: true, value: outcome.value, latencyMs: outcome.latencyMs, attempts };
      }
      const { failure } = outcome;
      if (failure.kind !== 'stopped' && failure.kind !== 'offline') this.options.onAttempt?.(exchange.label, { ok: false, failure });
      if (this.closed || attempts > exchange.retries || !shouldRetry(failure)) return { ok: false, failure, attempts };
    }
  }

  private settle(quietMs: number): Promise<void> {
    const deadline = this.now() + quietMs * 10;
    return new Promise((resolve) => {
      const check = (): void => {
        const now = this.now();
        const quietFor = now - this.lastDataAt;
        if (this.closed || quietFor >= quietMs || now >= deadline) {
          this.settleTimer = null;
          resolve();
          return;
        }
        const wait = Math.min(quietMs - quietFor, deadline - now);
        const timer = setTimeout(check, Math.max(1, wait));
        this.settleTimer = {
          timer,
          done: () => {
            clearTimeout(timer);
            this.settleTimer = null;
            resolve();
          },
        };
      };
      check();
    });
  }

  private attempt(exchange: Exchange<unknown>): Promise<{ ok: true; value: unknown; latencyMs: number } | { ok: false; failure: ExchangeFailure }> {
    if (this.closed) return Promise.resolve({ ok: false, failure: { kind: 'stopped', message: 'device stopped' } });
    if (!this.transport.isOpen) {
      return Promise.resolve({ ok: false, failure: { kind: 'offline', message: `${this.transport.description}: not open` } });
    }
    const assembler = exchange.assembler ?? this.assembler;
    if (!assembler) {
      return Promise.resolve({ ok: false, failure: { kind: 'decode', error: { code: 'badArgument', message: `${exchange.label}: no frame assembler for this exchange` } } });
    }
    return new Promise((resolve) => {
      const started = this.now();
      let timer: NodeJS.Timeout | null = null;
      const finish = (result: { ok: true; value: unknown; latencyMs: number } | { ok: false; failure: ExchangeFailure }): void => {
        if (this.active !== active) return;
        this.active = null;
        if (timer) clearTimeout(timer);
        this.transport.expectReply?.(0);
        if (result.ok) this.replyBytes.set(exchange.label, active.frameBytes);
        resolve(result);
      };
      const active: Active = {
        assembler,
        bytesSeen: 0,
        frameBytes: 0,
        accept: (frame) => {
          active.frameBytes += frame.length;
          const step = exchange.accept(frame);
          if (step.kind === 'more') return;
          if (step.result.ok) finish({ ok: true, value: step.result.value, latencyMs: this.now() - started });
          else finish({ ok: false, failure: { kind: 'decode', error: step.result.error } });
        },
        fail: (failure) => finish({ ok: false, failure }),
      };
      // A reply never starts before its request: what the assembler holds now is a stale tail.
      assembler.reset();
      this.active = active;
      timer = setTimeout(() => {
        const what =
          active.bytesSeen > 0
            ? { kind: 'garbled' as const, message: `${exchange.label}: ${active.bytesSeen} bytes but no valid reply within ${exchange.timeoutMs} ms` }
            : { kind: 'timeout' as const, message: `${exchange.label}: no reply within ${exchange.timeoutMs} ms` };
        finish({ ok: false, failure: what });
      }, exchange.timeoutMs);
      this.transport.expectReply?.(this.replyBytes.get(exchange.label) ?? 0);
      this.transport.write(exchange.request).catch((err: unknown) => {
        finish({ ok: false, failure: { kind: 'offline', message: err instanceof Error ? err.message : String(err) } });
      });
    });
  }
}
