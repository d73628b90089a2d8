/**
 * The token endpoint's rate limit: a token bucket per client address. Normally generous; the
 * `rate-limit-tight` fault cuts it to one exchange a minute.
 */
export interface RateLimitPolicy {
  capacity: number;
  refillPerMinute: number;
}

export const NORMAL_LIMIT: RateLimitPolicy = { capacity: 600, refillPerMinute: 600 };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Takes one request from `key`'s bucket; the seconds to wait when it is empty. */
  take(key: string, policy: RateLimitPolicy): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: policy.capacity, updatedAt: now };
    const refilled = Math.min(policy.capacity, bucket.tokens + ((now - bucket.updatedAt) / 60_000) * policy.refillPerMinute);
    if (refilled >= 1) {
      this.#buckets.set(key, { tokens: refilled - 1, updatedAt: now });
      return { allowed: true };
    }
    this.#buckets.set(key, { tokens: refilled, updatedAt: now });
    return { allowed: false, retryAfterSeconds: Math.ceil(((1 - refilled) / policy.refillPerMinute) * 60) };
  }

  reset(): void {
    this.#buckets.clear();
  }
}
