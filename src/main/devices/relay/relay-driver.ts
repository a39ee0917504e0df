/**
 * The grid relay on a GPIO line. Safe means grid connected: the line is opened at that level, driven
 * back to it on stop, on process exit, when the logger's heartbeat has been missing for the watchdog
 * timeout, when the battery guard trips, and whenever the line cannot be read. Commanded switches are
 * spaced and capped; safety connections are not.
 */
import type { EngineEvent } from '../../../shared/events.js';
import type { DeviceStats, LinkState, Sample } from '../../../shared/samples.js';
import type { RelayPort } from '../../control/ports.js';
import { createRateLimiter, DEFAULT_RELAY_RATE_LIMIT, type RateLimit } from '../../control/rate-limit.js';
import type { DeviceDriver } from '../types.js';
import type { GpioLine, Level, OpenLine } from './gpio.js';
import { createBatteryGuard, createWatchdog, type BatteryGuardOptions, type Watchdog } from './guards.js';
import { Listeners } from '../../transport/listeners.js';

export type RelayPolarity = 'activeHigh' | 'activeLow';

/** The line level that connects the grid: `activeHigh` = a high line connects it. */
export const connectedLevel = (polarity: RelayPolarity): Level => (polarity === 'activeHigh' ? 1 : 0);

export interface Scheduler {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface RelayDriverOptions {
  openLine: OpenLine;
  polarity: RelayPolarity;
  description?: string;
  now?: () => number;
  /** Real timers unless a test drives `tick()` itself. */
  scheduler?: Scheduler;
  tickMs?: number;
  switchLimit?: RateLimit;
  /** Connect when the logger's heartbeat is missing this long (the config's watchdog.timeoutS); off when absent. */
  watchdogTimeoutMs?: number;
  /** The built-in battery rule; `false` turns it off. */
  batteryGuard?: BatteryGuardOptions | false;
  onEvent?: (event: EngineEvent) => void;
  /** A sample is repeated at least this often even without a change (default 60 s). */
  republishMs?: number;
}

export interface RelayDriver extends DeviceDriver, RelayPort {
  /** Samples from other devices (battery voltage, current) for the battery guard. */
  observe(sample: Sample): void;
  /** The logger is alive (a heartbeat, a successful poll of it). */
  loggerHeartbeat(): void;
  /** Evaluate the watchdog and the battery guard now (called by the timer). */
  tick(): void;
  /** Drive the safe level synchronously; usable from an exit hook. True when the line reads connected. */
  failSafe(reason: string): boolean;
  /** Why disconnecting is refused right now, or null. */
  safetyHold(): string | null;
}

const emptyStats = (): DeviceStats => ({ framesOk: 0, crcErrors: 0, timeouts: 0, naks: 0, implausible: 0, reconnects: 0, lastPollLatencyMs: null });

export function createRelayDriver(options: RelayDriverOptions): RelayDriver {
  const now = options.now ?? Date.now;
  const scheduler: Scheduler = options.scheduler ?? {
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  };
  const safe = connectedLevel(options.polarity);
  const limiter = createRateLimiter(() => options.switchLimit ?? DEFAULT_RELAY_RATE_LIMIT);
  const guard = options.batteryGuard === false ? null : createBatteryGuard(options.batteryGuard ?? {});
  const sampleListeners = new Listeners<[Sample]>();
  const linkListeners = new Listeners<[LinkState, string?]>();
  const stats = emptyStats();

  let line: GpioLine | null = null;
  let state: boolean | null = null;
  let link: LinkState = 'offline';
  let watchdog: Watchdog | null = null;
  let watchdogTripped = false;
  let timer: unknown = null;
  let lastPublishMs = -Infinity;

  const emit = (message: string, data: Record<string, unknown>): void =>
    options.onEvent?.({ tsMs: now(), kind: 'control', device: 'relay', message, data });

  const setLink = (next: LinkState, reason?: string): void => {
    if (next === link) return;
    link = next;
    linkListeners.emit(next, reason);
  };

  const publish = (): void => {
    lastPublishMs = now();
    const sample: Sample = { device: 'relay', tsMs: lastPublishMs, source: 'gpio', values: { gridConnected: state } };
    sampleListeners.emit(sample);
  };

  /** Read the line; an unreadable line is unknown, which is itself a reason to drive it safe. */
  const readState = (): boolean | null => {
    if (!line) return null;
    try {
      const connected = line.readSync() === safe;
      stats.framesOk += 1;
      return connected;
    } catch (err) {
      stats.timeouts += 1;
      setLink('offline', err instanceof Error ? err.message : String(err));
      return null;
    }
  };

  const drive = (connected: boolean): boolean | null => {
    if (!line) return null;
    const before = state;
    try {
      line.writeSync(connected ? safe : ((1 - safe) as Level));
    } catch (err) {
      setLink('offline', err instanceof Error ? err.message : String(err));
    }
    state = readState();
    if (state !== null) setLink('online');
    if (state !== before) publish();
    return state;
  };

  function failSafe(reason: string): boolean {
    if (!line) return false;
    const wasConnected = state;
    const result = drive(true);
    if (wasConnected !== true) emit(`grid connected for safety: ${reason}`, { reason, failSafe: true, gridConnected: result });
    return result === true;
  }

  function safetyHold(): string | null {
    if (state === null) return 'the relay state is unknown';
    if (watchdogTripped) return 'the logger is not answering (watchdog)';
    const g = guard?.check(now());
    if (g?.holding) return g.reason;
    return null;
  }

  function tick(): void {
    if (!line) return;
    const t = now();
    const read = readState();
    if (read === null) {
      // Report the loss once; keep driving the safe level quietly on every tick after that.
      const wasKnown = state !== null;
      state = null;
      if (wasKnown) failSafe('the relay line could not be read');
      else drive(true);
      return;
    }
    if (read !== state) {
      state = read;
      setLink('online');
      publish();
    }
    const silentMs = watchdog?.lostFor(t) ?? null;
    if (silentMs !== null && !watchdogTripped) {
      watchdogTripped = true;
      failSafe(`no heartbeat from the logger for ${Math.round(silentMs / 1000)} s`);
    }
    const g = guard?.check(t);
    if (g?.trip && state !== true) failSafe(g.reason);
    if (t - lastPublishMs >= (options.republishMs ?? 60_000)) publish();
  }

  return {
    kind: 'relay',
    description: options.description ?? `grid relay (${options.polarity})`,
    async start() {
      if (line) return;
      line = await options.openLine(safe);
      const result = drive(true);
      if (result !== true) {
        emit('grid relay did not read back connected after start', { gridConnected: result });
      }
      publish();
      if (options.watchdogTimeoutMs !== undefined) watchdog = createWatchdog(options.watchdogTimeoutMs, now());
      timer = scheduler.setInterval(tick, options.tickMs ?? 5000);
    },
    async stop() {
      if (timer !== null) scheduler.clearInterval(timer);
      timer = null;
      // The line stays exported and driven at the safe level: unexporting would hand it to the pin's default.
      failSafe('stopping');
      line = null;
      state = null;
      setLink('offline', 'stopped');
    },
    linkState: () => link,
    stats: () => ({ ...stats }),
    onSample: (listener) => sampleListeners.add(listener),
    onLinkState: (listener) => linkListeners.add(listener),
    async setGridConnected(connected) {
      if (!line) throw new Error('the grid relay is not started');
      if (connected === state) return connected;
      if (!connected) {
        const hold = safetyHold();
        if (hold) throw new Error(`refused to disconnect the grid: ${hold}`);
      }
      const budget = limiter.check('grid relay', now());
      if (budget && !connected) throw new Error(budget);
      limiter.record('grid relay', now());
      const result = drive(connected);
      if (result === null) throw new Error('the relay line could not be read back');
      return result;
    },
    isGridConnected: () => state,
    observe(sample) {
      guard?.observe(sample);
    },
    loggerHeartbeat() {
      watchdog?.beat(now());
      watchdogTripped = false;
    },
    tick,
    failSafe,
    safetyHold,
  };
}

/** On any exit Node still runs (process.exit, an uncaught exception): drive the safe level. Returns the remover. */
export function connectGridOnExit(driver: Pick<RelayDriver, 'failSafe'>, proc: NodeJS.Process = process): () => void {
  const handler = (): void => {
    driver.failSafe('process exit');
  };
  proc.on('exit', handler);
  return () => proc.off('exit', handler);
}
