/**
 * What every polled device has in common: open the link (again and again, with capped exponential
 * backoff, while the device is unplugged), run the driver's program on it, turn exchange outcomes into
 * statistics and a link state, and hand samples and reports to listeners. Nothing a device or a listener
 * does can throw out of here, stop the loop, or leave a timer behind after stop().
 */
import type { EngineEvent } from '../../../shared/events.js';
import type { DecodeErrorCode } from '../../../shared/result.js';
import type { DeviceKind, DeviceStats, FieldValue, LinkState, Sample } from '../../../shared/samples.js';
import { Listeners } from '../../transport/listeners.js';
import type { Transport } from '../../transport/types.js';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { StatsCounter } from './device-stats.js';
import { EventReporter } from './event-reporter.js';
import { sharedAlarmFor } from './shared-alarm.js';
import { RequestQueue, type AttemptOutcome, type Exchange, type ExchangeFailure, type ExchangeResult, type FrameAssembler } from './request-queue.js';

export interface DeviceRuntimeOptions {
  kind: DeviceKind;
  transport: Transport;
  /** Default frame assembly; an exchange may bring its own. */
  assembler?: FrameAssembler;
  backoff?: BackoffOptions;
  /** Consecutive failed exchanges after which an open link counts as offline (device silent or asleep). */
  offlineAfterFailures?: number;
  /** Wall clock for sample timestamps (UTC ms). */
  clock?: () => number;
  /** Minimum spacing of repeated reports with the same key. */
  reportIntervalMs?: number;
}

/** The device-specific part: what to do once the link is open, and one turn of its poll loop. */
export interface DeviceProgram {
  onOpen(): Promise<void>;
  /**
   * Runs due requests; resolves to the instant (on the runtime's clock, UTC ms) of the next turn. Turns of
   * several devices due at the same instant share one timer.
   */
  tick(): Promise<number>;
}

/** Decode errors that mean the bytes were damaged on the wire, as opposed to a believable-looking frame that makes no sense. */
const WIRE_ERRORS: ReadonlySet<DecodeErrorCode> = new Set([
  'crc',
  'checksum',
  'crcNotBumped',
  'truncated',
  'missingTerminator',
  'badStartByte',
  'trailingBytes',
  'missingFrame',
  'wrongLength',
]);

export function describeFailure(failure: ExchangeFailure): string {
  return failure.kind === 'decode' ? `${failure.error.code}: ${failure.error.message}` : failure.message;
}

export class DeviceRuntime {
  readonly kind: DeviceKind;
  readonly transport: Transport;
  private readonly statsCounter = new StatsCounter();
  private readonly samples = new Listeners<[Sample]>();
  private readonly links = new Listeners<[LinkState, string | undefined]>();
  private readonly reporter: EventReporter;
  private state: LinkState = 'offline';
  private queue: RequestQueue | null = null;
  private loop: Promise<void> | null = null;
  private stopped = true;
  private consecutiveFailures = 0;
  /** Set when the link was opened again after a loss; the reconnect counts once the device answers on it. */
  private reopened = false;
  private sleeper: { cancel: () => void; wake: () => void; purpose: 'poll' | 'backoff' } | null = null;
  private readonly offlineAfterFailures: number;
  private readonly backoff: BackoffOptions;
  private readonly clock: () => number;
  private unsubscribeTransport: (() => void) | null = null;

  constructor(private readonly options: DeviceRuntimeOptions) {
    this.kind = options.kind;
    this.transport = options.transport;
    this.offlineAfterFailures = options.offlineAfterFailures ?? 3;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.clock = options.clock ?? Date.now;
    this.reporter = new EventReporter(options.kind, this.clock, options.reportIntervalMs ?? 60_000);
  }

  get running(): boolean {
    return !this.stopped;
  }

  /** True while the device answers: false after `offlineAfterFailures` failed exchanges in a row. */
  get responsive(): boolean {
    return this.state === 'online' || (this.state === 'connecting' && this.consecutiveFailures < this.offlineAfterFailures);
  }

  now(): number {
    return this.clock();
  }

  linkState(): LinkState {
    return this.state;
  }

  stats(): DeviceStats {
    return this.statsCounter.snapshot();
  }

  onSample(listener: (sample: Sample) => void): () => void {
    return this.samples.add(listener);
  }

  onLinkState(listener: (state: LinkState, reason?: string) => void): () => void {
    return this.links.add(listener);
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.reporter.onEvent(listener);
  }

  start(program: DeviceProgram): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.consecutiveFailures = 0;
    this.queue = new RequestQueue(this.transport, this.options.assembler ?? null, { onAttempt: (label, outcome) => this.onAttempt(label, outcome) });
    this.unsubscribeTransport = this.transport.onLinkState((state) => {
      if (state === 'offline') this.wake();
    });
    this.setState('connecting');
    this.loop = this.connectLoop(program);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.queue?.close();
    this.wake();
    await this.loop;
    this.loop = null;
    this.unsubscribeTransport?.();
    this.unsubscribeTransport = null;
    await this.transport.close().catch(() => undefined);
    this.setState('offline', 'stopped');
  }

  /** Run one exchange; its outcome moves the link state (a NAK is an answer, so it keeps the link online). */
  async exchange<T>(exchange: Exchange<T>): Promise<ExchangeResult<T>> {
    const queue = this.queue;
    if (!queue || this.stopped) return { ok: false, failure: { kind: 'stopped', message: 'device stopped' }, attempts: 0 };
    const result = await queue.run(exchange);
    if (this.stopped) return result;
    if (result.ok || (result.failure.kind === 'decode' && (result.failure.error.code === 'nak' || result.failure.error.code === 'exception'))) {
      this.consecutiveFailures = 0;
      if (this.reopened) {
        this.reopened = false;
        this.statsCounter.record('reconnect');
      }
      if (this.transport.isOpen) this.setState('online');
    } else if (result.failure.kind !== 'offline' && result.failure.kind !== 'stopped') {
      this.consecutiveFailures++;
      if (this.consecutiveFailures >= this.offlineAfterFailures && this.state !== 'offline') {
        this.setState('offline', `no valid reply to ${this.consecutiveFailures} requests in a row (${describeFailure(result.failure)})`);
      }
    }
    return result;
  }

  /** A reply that decoded but is not believable: counted, reported, never emitted as data. */
  recordImplausible(source: string, message: string): void {
    this.statsCounter.record('implausible');
    this.report(`implausible:${source}`, 'warning', `${this.kind} ${source}: implausible reply dropped (${message})`, { source });
  }

  emitSample(source: string, values: Record<string, FieldValue>, tsMs = this.clock()): void {
    this.samples.emit({ device: this.kind, tsMs, source, values });
  }

  /** Tell listeners something a person should know, at most once per `reportIntervalMs` per key. */
  report(key: string, kind: EngineEvent['kind'], message: string, data: Record<string, unknown> = {}): void {
    this.reporter.report(key, kind, message, data);
  }

  private onAttempt(label: string, outcome: AttemptOutcome): void {
    if (outcome.ok) {
      this.statsCounter.record('frameOk');
      this.statsCounter.latency(outcome.latencyMs);
      return;
    }
    const { failure } = outcome;
    if (failure.kind === 'timeout') this.statsCounter.record('timeout');
    else if (failure.kind === 'garbled') this.statsCounter.record('crcError');
    else if (failure.kind === 'decode') {
      const code = failure.error.code;
      if (code === 'nak' || code === 'exception') this.statsCounter.record('nak');
      else if (WIRE_ERRORS.has(code)) this.statsCounter.record('crcError');
      else {
        this.statsCounter.record('implausible');
        this.report(`decode:${label}:${code}`, 'warning', `${this.kind} ${label}: reply refused (${failure.error.message})`, { source: label, code });
      }
    }
  }

  private setState(state: LinkState, reason?: string): void {
    if (state === this.state) return;
    this.state = state;
    this.links.emit(state, reason);
  }

  private async connectLoop(program: DeviceProgram): Promise<void> {
    let attempt = 0;
    let everOpened = false;
    while (!this.stopped) {
      try {
        await this.transport.open();
      } catch (err) {
        this.setState('offline', err instanceof Error ? err.message : String(err));
        await this.sleepFor(backoffDelayMs(attempt++, this.backoff));
        continue;
      }
      if (this.stopped) break;
      this.reopened = everOpened;
      everOpened = true;
      attempt = 0;
      this.consecutiveFailures = 0;
      this.setState('connecting');
      await this.runProgram(program);
      if (this.stopped) break;
      this.setState('offline', `${this.transport.description}: link lost`);
      await this.transport.close().catch(() => undefined);
      await this.sleepFor(backoffDelayMs(attempt++, this.backoff));
    }
  }

  private async runProgram(program: DeviceProgram): Promise<void> {
    const linkUp = (): boolean => !this.stopped && this.transport.isOpen;
    try {
      await program.onOpen();
    } catch (err) {
      this.programFault(err);
    }
    while (linkUp()) {
      let nextTurnAtMs = this.clock() + 1000;
      try {
        nextTurnAtMs = await program.tick();
      } catch (err) {
        this.programFault(err);
      }
      if (!linkUp()) break;
      await this.sleepUntilTurn(nextTurnAtMs);
    }
  }

  private programFault(err: unknown): void {
    this.report('program', 'system', `${this.kind} driver error: ${err instanceof Error ? err.message : String(err)}`);
  }

  /** Run the next poll turn now instead of after its delay (e.g. a read-back after a setting). */
  nudge(): void {
    if (this.sleeper?.purpose === 'poll') this.sleeper.wake();
  }

  /** Sleep until the next poll turn: on the alarm shared with the other devices on this clock. */
  private sleepUntilTurn(atMs: number): Promise<void> {
    return this.park('poll', (wake) => sharedAlarmFor(this.clock).at(Math.round(atMs), wake));
  }

  private sleepFor(ms: number): Promise<void> {
    return this.park('backoff', (wake) => {
      const timer = setTimeout(wake, Math.max(0, ms));
      return () => clearTimeout(timer);
    });
  }

  /** Resolves when the armed timer fires or someone wakes the sleeper (nudge, stop). */
  private park(purpose: 'poll' | 'backoff', arm: (wake: () => void) => () => void): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        if (this.sleeper?.wake === wake) {
          this.sleeper.cancel();
          this.sleeper = null;
        }
        resolve();
      };
      this.sleeper = { cancel: arm(wake), wake, purpose };
    });
  }

  private wake(): void {
    this.sleeper?.wake();
  }
}
