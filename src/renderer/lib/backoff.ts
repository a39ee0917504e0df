/**
 * Reconnect delays after the API went away (a daemon restart takes a few seconds): retry soon, then
 * back off so a dead host is not hammered, with jitter so a room of screens does not reconnect in step.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0..1: the share of each delay that is random. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000, factor: 2, jitter: 0.2 };

/** Delay before reconnect attempt `attempt` (0 = the first retry); `random` in [0, 1). */
export function backoffDelayMs(attempt: number, random: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const n = Math.max(0, Math.floor(attempt));
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** Math.min(n, 30));
  const spread = base * options.jitter;
  return Math.round(base - spread + 2 * spread * Math.min(Math.max(random, 0), 1));
}
