import { describe, expect, it } from 'vitest';
import { addressKey, RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows a burst of `capacity`, then refills at the rate per minute', () => {
    let t = 0;
    const limiter = new RateLimiter({ capacity: 3, perMinute: 6, now: () => t });
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    t += 10_000; // 6 per minute: one token every 10 s
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
  });

  it('keeps keys apart', () => {
    const limiter = new RateLimiter({ capacity: 1, perMinute: 1, now: () => 0 });
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
    expect(limiter.take('b')).toBe(true);
  });

  it('reports an empty bucket without taking from it', () => {
    let t = 0;
    const limiter = new RateLimiter({ capacity: 1, perMinute: 60, now: () => t });
    expect(limiter.exhausted('a')).toBe(false);
    limiter.take('a');
    expect(limiter.exhausted('a')).toBe(true);
    t += 1000;
    expect(limiter.exhausted('a')).toBe(false);
    expect(limiter.take('a')).toBe(true);
  });

  it('does not grow past maxKeys under a flood of addresses, and forgets idle keys first', () => {
    let t = 0;
    const limiter = new RateLimiter({ capacity: 2, perMinute: 2, now: () => t, maxKeys: 100 });
    limiter.take('busy');
    limiter.take('busy');
    for (let i = 0; i < 1000; i++) limiter.take(`flood-${i}`);
    // Still limited: the busy key was not forgotten while idle full keys were available to drop.
    t += 1;
    expect(limiter.take('busy')).toBe(false);
  });
});

describe('addressKey', () => {
  it('keeps IPv4 addresses, also IPv4-mapped ones', () => {
    expect(addressKey('192.168.1.20')).toBe('192.168.1.20');
    expect(addressKey('::ffff:192.168.1.20')).toBe('192.168.1.20');
  });

  it('groups IPv6 addresses by their /64, however they are written', () => {
    expect(addressKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:0db8:0000:0001:abcd:1:2:3')).toBe('2001:db8:0:1::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1')).toBe('fe80:0:0:0::/64');
  });
});
