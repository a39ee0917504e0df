/**
 * Write budgets per setting: inverter settings live in EEPROM and a relay contact wears, so each key
 * gets a minimum spacing and a cap per window. Pure bookkeeping over injected times.
 */

export interface RateLimit {
  /** Shortest time between two writes of the same key. */
  minIntervalMs: number;
  /** At most this many writes of the key within any `windowMs`. */
  maxPerWindow: number;
  windowMs: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Inverter settings: a minute apart, at most 24 writes of one setting per day. */
export const DEFAULT_SETTING_RATE_LIMIT: Readonly<RateLimit> = Object.freeze({ minIntervalMs: 60_000, maxPerWindow: 24, windowMs: DAY_MS });
/** Grid relay: a minute between switches, at most 6 switches per hour. */
export const DEFAULT_RELAY_RATE_LIMIT: Readonly<RateLimit> = Object.freeze({ minIntervalMs: 60_000, maxPerWindow: 6, windowMs: HOUR_MS });

export interface RateLimiter {
  /** null when a write of `key` at `nowMs` is within budget, else why not. */
  check(key: string, nowMs: number): string | null;
  record(key: string, nowMs: number): void;
}

export function createRateLimiter(limitFor: (key: string) => RateLimit): RateLimiter {
  const history = new Map<string, number[]>();
  const recent = (key: string, nowMs: number): number[] => {
    const { windowMs } = limitFor(key);
    const kept = (history.get(key) ?? []).filter((t) => nowMs - t < windowMs);
    history.set(key, kept);
    return kept;
  };
  return {
    check(key, nowMs) {
      const limit = limitFor(key);
      const times = recent(key, nowMs);
      const last = times[times.length - 1];
      if (last !== undefined && nowMs - last < limit.minIntervalMs) {
        const waitS = Math.ceil((limit.minIntervalMs - (nowMs - last)) / 1000);
        return `rate limited: ${key} was written ${Math.round((nowMs - last) / 1000)} s ago, next write allowed in ${waitS} s`;
      }
      if (times.length >= limit.maxPerWindow) {
        const hours = limit.windowMs / HOUR_MS;
        return `rate limited: ${key} was written ${times.length} times in the last ${hours} h (limit ${limit.maxPerWindow})`;
      }
      return null;
    },
    record(key, nowMs) {
      recent(key, nowMs).push(nowMs);
    },
  };
}
