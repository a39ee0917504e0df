/**
 * The live stream (WS /api/v1/stream) with reconnects: when the daemon restarts, the screen keeps its
 * last values (marked stale by the store) and comes back by itself, retrying with backoff. A refused
 * token (close code 4401) stops retrying: a retry cannot fix it.
 */
import type { StreamMessage } from '../../shared/api';
import { backoffDelayMs } from '../lib/backoff';
import type { LiveStore } from '../state/live-store';

export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_TOO_MANY = 4429;

/** The parts of a browser WebSocket this client uses (tests pass a fake). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(code?: number): void;
}

export interface StreamClientOptions {
  url: string;
  store: LiveStore;
  createSocket?: (url: string) => SocketLike;
  now?: () => number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** No message for this long means a dead connection (a Pi that lost power sends no FIN). */
  silenceMs?: number;
}

export class StreamClient {
  private socket: SocketLike | null = null;
  private retryTimer: unknown = null;
  private silenceTimer: unknown = null;
  private attempt = 0;
  private stopped = true;
  private readonly createSocket: (url: string) => SocketLike;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly silenceMs: number;

  constructor(private readonly options: StreamClientOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.silenceMs = options.silenceMs ?? 30_000;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.onerror = null;
      socket.close(1000);
    }
  }

  /** Try now instead of waiting out the backoff (the page became visible, the network came back). */
  retryNow(): void {
    if (this.stopped || this.socket || this.options.store.connection.state === 'unauthorized') return;
    this.clearTimers();
    this.connect();
  }

  private connect(): void {
    const { store } = this.options;
    store.setConnection({ state: store.connection.everConnected ? 'reconnecting' : 'connecting', nextRetryAtMs: null });
    let socket: SocketLike;
    try {
      socket = this.createSocket(this.options.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.armSilence();
    socket.onmessage = (ev) => {
      this.armSilence();
      const message = parseMessage(ev.data);
      if (!message) return;
      if (message.type === 'snapshot') this.attempt = 0;
      store.apply(message);
    };
    // Errors are followed by close; close decides what happens next.
    socket.onerror = () => undefined;
    socket.onclose = (ev) => {
      this.socket = null;
      this.clearTimers();
      if (this.stopped) return;
      if (ev.code === CLOSE_UNAUTHORIZED) {
        store.setConnection({ state: 'unauthorized', nextRetryAtMs: null });
        return;
      }
      // A failed-login limit lasts a minute: do not spend it with fast retries.
      if (ev.code === CLOSE_TOO_MANY) this.attempt = Math.max(this.attempt, 6);
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    const delay = backoffDelayMs(this.attempt, this.random());
    this.attempt += 1;
    this.options.store.setConnection({
      state: this.options.store.connection.everConnected ? 'reconnecting' : 'connecting',
      attempt: this.attempt,
      nextRetryAtMs: this.now() + delay,
    });
    this.retryTimer = this.setTimer(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private armSilence(): void {
    if (this.silenceTimer !== null) this.clearTimer(this.silenceTimer);
    this.silenceTimer = this.setTimer(() => {
      this.silenceTimer = null;
      const socket = this.socket;
      if (!socket || this.stopped) return;
      // Treat it like a close: drop this socket and retry with backoff.
      socket.onclose = null;
      socket.close(4000);
      this.socket = null;
      this.scheduleRetry();
    }, this.silenceMs);
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) this.clearTimer(this.retryTimer);
    if (this.silenceTimer !== null) this.clearTimer(this.silenceTimer);
    this.retryTimer = null;
    this.silenceTimer = null;
  }
}

const TYPES = new Set(['snapshot', 'sample', 'link', 'event', 'control']);

/** A message the store can use, or null for anything else (a newer server's new message type, garbage). */
export function parseMessage(data: unknown): StreamMessage | null {
  if (typeof data !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const type = (parsed as { type?: unknown }).type;
  if (typeof type !== 'string' || !TYPES.has(type)) return null;
  const m = parsed as Record<string, unknown>;
  const ok =
    (type === 'snapshot' && isObject(m.live) && isObject(m.health)) ||
    (type === 'sample' && isObject(m.sample) && isObject((m.sample as Record<string, unknown>).values)) ||
    (type === 'link' && typeof m.device === 'string' && typeof m.state === 'string') ||
    (type === 'event' && isObject(m.event)) ||
    (type === 'control' && isObject(m.result));
  return ok ? (parsed as StreamMessage) : null;
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null;
