import type { CacheStore } from './store.js';

/** The counter store shape express-rate-limit expects (structurally typed, no import needed). */
export interface RateLimitCounterStore {
  prefix: string;
  localKeys: false;
  init(options: { windowMs: number }): void;
  increment(key: string): Promise<{ totalHits: number; resetTime: Date }>;
  decrement(key: string): Promise<void>;
  resetKey(key: string): Promise<void>;
}

/** Fixed-window counters in the shared cache, so every API process enforces one limit. */
export function createRateLimitStore(store: CacheStore, prefix: string): RateLimitCounterStore {
  let windowMs = 60_000;
  const key = (k: string) => `rl:${prefix}:${k}`;
  return {
    prefix,
    localKeys: false,
    init(options) {
      windowMs = options.windowMs;
    },
    async increment(k) {
      const totalHits = await store.incr(key(k), windowMs);
      const remaining = await store.pttl(key(k));
      return { totalHits, resetTime: new Date(Date.now() + (remaining > 0 ? remaining : windowMs)) };
    },
    async decrement(k) {
      await store.decr(key(k));
    },
    async resetKey(k) {
      await store.del(key(k));
    },
  };
}
