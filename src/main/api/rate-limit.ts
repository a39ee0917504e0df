/** Token buckets keyed by IP or token id: `capacity` requests at once, refilled at `perMinute`. */
export interface RateLimiterOptions {
  capacity: number;
  perMinute: number;
  now?: () => number;
  /** Forget keys beyond this many (those with full buckets first) so a flood of addresses cannot grow memory. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(private readonly options: RateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** Takes one token; false when the bucket is empty. */
  take(key: string): boolean {
    const bucket = this.refill(key);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** True when `take` would fail now, without taking anything. */
  exhausted(key: string): boolean {
    const bucket = this.buckets.get(key);
    return bucket !== undefined && this.refill(key).tokens < 1;
  }

  private refill(key: string): Bucket {
    const t = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.prune();
      bucket = { tokens: this.options.capacity, updatedMs: t };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsedMs = Math.max(0, t - bucket.updatedMs);
    bucket.tokens = Math.min(this.options.capacity, bucket.tokens + (elapsedMs * this.options.perMinute) / 60_000);
    bucket.updatedMs = t;
    return bucket;
  }

  private prune(): void {
    for (const [key] of this.buckets) {
      const bucket = this.refill(key);
      if (bucket.tokens >= this.options.capacity) this.buckets.delete(key);
    }
    if (this.buckets.size < this.maxKeys) return;
    // Still full of recent keys: forget those with the most tokens left, never the ones being held back.
    const byTokens = [...this.buckets.entries()].sort((a, b) => b[1].tokens - a[1].tokens);
    for (const [key] of byTokens.slice(0, this.buckets.size - Math.floor(this.maxKeys * 0.9))) this.buckets.delete(key);
  }
}

/** The key for an address: IPv6 by its /64 (one host usually owns the whole prefix), IPv4 as it is. */
export function addressKey(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4?.[1]) return v4[1];
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const parts = ip.includes('::') ? [...headParts, ...Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts] : ip.split(':');
  return `${parts.slice(0, 4).map((p) => p.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
