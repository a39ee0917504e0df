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
    // Still full of busy keys: drop the oldest (insertion order) rather than grow.
    while (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}
