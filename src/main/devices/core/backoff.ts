/** Reconnect delays: exponential from `initialMs`, capped at `maxMs`, so an unplugged device costs nothing while it is gone. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2 };

/** Delay before reconnect attempt `attempt` (0 = the first retry after a loss). */
export function backoffDelayMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const safeAttempt = Math.max(0, Math.floor(attempt));
  const delay = options.initialMs * Math.pow(options.factor, safeAttempt);
  return Number.isFinite(delay) ? Math.min(delay, options.maxMs) : options.maxMs;
}
