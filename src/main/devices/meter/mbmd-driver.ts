/**
 * The SDM230 through an mbmd daemon's HTTP API: `GET <url>/api/last/<meterId>` every poll interval.
 * Every failure is typed (network, timeout, HTTP status, body) and counted; none stops the loop.
 */
import type { EngineEvent } from '../../../shared/events.js';
import type { DecodeErrorCode } from '../../../shared/result.js';
import type { DeviceStats, FieldValue, LinkState, Sample } from '../../../shared/samples.js';
import { decodeMbmdBody } from '../../protocol/mbmd/index.js';
import { httpFetch, type HttpFetch } from '../../net/http-fetch.js';
import { Listeners } from '../../transport/listeners.js';
import { StatsCounter } from '../core/device-stats.js';
import { EventReporter } from '../core/event-reporter.js';
import { checkPlausibility, type PlausibilityRule } from '../core/plausibility.js';
import type { DeviceDriver } from '../types.js';
import { DEFAULT_METER_RULES } from './meter-plausibility.js';

export type MbmdError =
  | { kind: 'network'; message: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'http'; status: number; message: string }
  | { kind: 'decode'; code: DecodeErrorCode; message: string }
  | { kind: 'implausible'; message: string };

export interface MbmdDriverOptions {
  /** mbmd's base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** mbmd's meter id: type + bus id, e.g. `SDM2301.1`. */
  meterId?: string;
  /** `last` (latest reading, default) or `avg` (mbmd's average over its cache window, what the original used). */
  endpoint?: 'last' | 'avg';
  pollMs?: number;
  timeoutMs?: number;
  offlineAfterFailures?: number;
  plausibility?: readonly PlausibilityRule[];
  fetch?: HttpFetch;
  clock?: () => number;
}

const NOT_VALUES = new Set(['deviceId', 'timestamp', 'tsMs']);

export class MbmdDriver implements DeviceDriver {
  readonly kind = 'meter' as const;
  readonly description: string;
  private readonly endpointUrl: string;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly offlineAfterFailures: number;
  private readonly rules: readonly PlausibilityRule[];
  private readonly fetchFn: HttpFetch;
  private readonly clock: () => number;
  private readonly meterId: string;
  private readonly statsCounter = new StatsCounter();
  private readonly samples = new Listeners<[Sample]>();
  private readonly links = new Listeners<[LinkState, string | undefined]>();
  private readonly reporter: EventReporter;
  private state: LinkState = 'offline';
  private everOnline = false;
  private failures = 0;
  private lastErrorValue: MbmdError | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: { abort: AbortController; done: Promise<void> } | null = null;
  private running = false;

  constructor(options: MbmdDriverOptions) {
    const base = options.url.replace(/\/+$/, '');
    if (!/^https?:\/\/[^\s/]+/.test(base)) throw new RangeError(`mbmd URL ${JSON.stringify(options.url)} is not an http:// or https:// URL`);
    this.meterId = options.meterId ?? 'SDM2301.1';
    this.endpointUrl = `${base}/api/${options.endpoint ?? 'last'}/${encodeURIComponent(this.meterId)}`;
    this.description = `meter (SDM230 via mbmd ${this.endpointUrl})`;
    this.pollMs = options.pollMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.offlineAfterFailures = options.offlineAfterFailures ?? 3;
    this.rules = options.plausibility ?? DEFAULT_METER_RULES;
    this.fetchFn = options.fetch ?? httpFetch;
    this.clock = options.clock ?? Date.now;
    this.reporter = new EventReporter('meter', this.clock);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.setState('connecting');
    this.schedule(0);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inFlight?.abort.abort();
    await this.inFlight?.done;
    this.setState('offline', 'stopped');
  }

  linkState(): LinkState {
    return this.state;
  }

  stats(): DeviceStats {
    return this.statsCounter.snapshot();
  }

  /** Why the last poll failed; null after a good one. */
  lastError(): MbmdError | null {
    return this.lastErrorValue;
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

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const abort = new AbortController();
      const done = this.pollOnce(abort).then(
        (started) => {
          this.inFlight = null;
          this.schedule(Math.max(0, started + this.pollMs - this.clock()));
        },
        () => {
          this.inFlight = null;
          this.schedule(this.pollMs);
        },
      );
      this.inFlight = { abort, done };
    }, delayMs);
  }

  /** One request; resolves to the time it started. Never rejects for device or network faults. */
  private async pollOnce(abort: AbortController): Promise<number> {
    const started = this.clock();
    const t0 = performance.now();
    const timeout = setTimeout(() => abort.abort(new Error('timeout')), this.timeoutMs);
    let status: number;
    let body: string;
    try {
      const response = await this.fetchFn(this.endpointUrl, { signal: abort.signal, headers: { accept: 'application/json' } });
      status = response.status;
      body = await response.text();
    } catch (err) {
      if (!this.running) return started;
      const timedOut = abort.signal.reason instanceof Error && abort.signal.reason.message === 'timeout';
      this.fail(timedOut ? { kind: 'timeout', message: `no answer within ${this.timeoutMs} ms` } : { kind: 'network', message: err instanceof Error ? err.message : String(err) });
      return started;
    } finally {
      clearTimeout(timeout);
    }
    if (!this.running) return started;
    const decoded = decodeMbmdBody(body, this.meterId);
    // mbmd answers HTTP 400 "all meters are inactive" when the meter is silent: that is the meter, not the server.
    if ((status < 200 || status >= 300) && !(!decoded.ok && decoded.error.code === 'noData')) {
      this.fail({ kind: 'http', status, message: `HTTP ${status}${body ? `: ${body.slice(0, 80)}` : ''}` });
      return started;
    }
    if (!decoded.ok) {
      this.fail({ kind: 'decode', code: decoded.error.code, message: decoded.error.message });
      return started;
    }
    const values: Record<string, FieldValue> = {};
    for (const [key, value] of Object.entries(decoded.value)) if (!NOT_VALUES.has(key)) values[key] = value;
    const violations = checkPlausibility(values, this.rules);
    if (violations.length > 0) {
      this.fail({ kind: 'implausible', message: violations.map((v) => v.message).join('; ') });
      return started;
    }
    this.statsCounter.record('frameOk');
    this.statsCounter.latency(performance.now() - t0);
    this.failures = 0;
    this.lastErrorValue = null;
    if (this.state === 'offline' && this.everOnline) this.statsCounter.record('reconnect');
    this.everOnline = true;
    this.setState('online');
    const tsMs = typeof decoded.value.tsMs === 'number' ? decoded.value.tsMs : this.clock();
    this.samples.emit({ device: 'meter', tsMs, source: 'sdm230', values });
    return started;
  }

  private fail(error: MbmdError): void {
    this.lastErrorValue = error;
    switch (error.kind) {
      case 'network':
      case 'timeout':
        this.statsCounter.record('timeout');
        break;
      case 'http':
        this.statsCounter.record('crcError');
        break;
      case 'decode':
        // The meter not answering mbmd is a refusal; an unreadable body is damage.
        this.statsCounter.record(error.code === 'noData' ? 'nak' : error.code === 'badJson' ? 'crcError' : 'implausible');
        break;
      case 'implausible':
        this.statsCounter.record('implausible');
        break;
    }
    this.reporter.report(`mbmd:${error.kind}`, 'warning', `meter via mbmd: ${error.message}`, { ...error });
    this.failures++;
    if (this.failures >= this.offlineAfterFailures) this.setState('offline', error.message);
  }

  private setState(state: LinkState, reason?: string): void {
    if (state === this.state) return;
    this.state = state;
    this.links.emit(state, reason);
  }
}
