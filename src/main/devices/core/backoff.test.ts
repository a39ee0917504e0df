import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    const options = { initialMs: 500, maxMs: 30_000, factor: 2 };
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n, options))).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('stays at the cap for absurd attempt counts instead of overflowing', () => {
    expect(backoffDelayMs(10_000, { initialMs: 100, maxMs: 5000, factor: 2 })).toBe(5000);
    expect(backoffDelayMs(-3, { initialMs: 100, maxMs: 5000, factor: 2 })).toBe(100);
  });
});
