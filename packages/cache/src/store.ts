/**
 * The key-value operations the shop needs from Redis. Two implementations pass one contract test:
 * Redis (tests, VPS) and an in-memory map (zero-setup development only).
 */
export interface CacheStore {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** Stores `value`, expiring after `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Deletes keys; returns how many existed. */
  del(...keys: string[]): Promise<number>;
  /** Increments a counter, starting its `ttlMs` window when it is created; returns the new value. */
  incr(key: string, ttlMs: number): Promise<number>;
  /** Decrements an existing counter (never creates one, never below zero). */
  decr(key: string): Promise<void>;
  /** Remaining lifetime in ms, -1 without expiry, -2 when the key does not exist. */
  pttl(key: string): Promise<number>;
  /** Adds members to a set whose lifetime is pushed to at least `ttlMs`. */
  sadd(key: string, members: string[], ttlMs: number): Promise<void>;
  smembers(key: string): Promise<string[]>;
  /** A hash's fields and values in the order the fields were first set (an empty Map when the key does not exist). */
  hgetall(key: string): Promise<Map<string, string>>;
  /**
   * Atomically adds `change.by` to the integer field `field` of the hash `key` (created as needed)
   * within `change`'s limits, then sets the hash's lifetime to `change.ttlMs`. A refused change
   * writes nothing. Returns the outcome, the field's value before, and the whole hash after.
   */
  hincrCapped(key: string, field: string, change: HashIncrement): Promise<HashIncrementResult>;
  /**
   * Atomically sets one field of a hash (created as needed) — always, only if the field exists
   * (`when: 'exists'`) or only if it does not (`when: 'missing'`) — and, when written, sets the
   * hash's lifetime to `ttlMs`. Returns whether it wrote and the whole hash after.
   */
  hset(key: string, field: string, value: string, options: { ttlMs: number; when?: 'always' | 'exists' | 'missing' }): Promise<HashWriteResult>;
  /** Atomically deletes fields of a hash, sets the lifetime of what remains to `ttlMs`, and returns the hash after (an emptied hash is gone). */
  hdel(key: string, fields: readonly string[], ttlMs: number): Promise<Map<string, string>>;
  /** Sends `message` to every subscriber of `channel`, in every process sharing the store (this one too). */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `handler` for each message on `channel` until the store closes. Messages sent while disconnected are lost. */
  subscribe(channel: string, handler: (message: string) => void): Promise<void>;
  /** Resolves when the store answers within `timeoutMs`, rejects otherwise. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** The limits of one `hincrCapped` change. */
export interface HashIncrement {
  /** What to add: a positive integer. */
  by: number;
  /** The highest value the field may reach; a larger sum is refused (`over_max`), or raised only up to it with `clamp`. */
  max: number;
  /** Adding a new field is refused (`too_many_fields`) when the hash already holds this many fields, those in `uncounted` aside. */
  maxFields: number;
  uncounted?: readonly string[];
  /** Add as much as fits under `max` instead of refusing; a field already at or above `max` stays as it is (`over_max`). */
  clamp?: boolean;
  /** The hash's lifetime once changed. */
  ttlMs: number;
}

/** What `hincrCapped` did. */
export interface HashIncrementResult {
  outcome: 'applied' | 'over_max' | 'too_many_fields';
  /** The field's value before the call (0 when absent). */
  previous: number;
  /** The whole hash after the call, fields in the order first set. */
  hash: Map<string, string>;
}

/** What `hset` did. */
export interface HashWriteResult {
  written: boolean;
  /** The whole hash after the call, fields in the order first set. */
  hash: Map<string, string>;
}

/** Throws RangeError unless `change` is a positive integer step with non-negative integer limits (both stores check alike). */
export function assertHashIncrement(change: HashIncrement): void {
  const isCount = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!isCount(change.by) || change.by === 0) throw new RangeError('hincrCapped : `by` doit être un entier positif');
  if (!isCount(change.max) || !isCount(change.maxFields)) throw new RangeError('hincrCapped : `max` et `maxFields` doivent être des entiers positifs ou nuls');
  if (!Number.isSafeInteger(change.ttlMs) || change.ttlMs <= 0) throw new RangeError('hincrCapped : `ttlMs` doit être un entier positif');
}

/** Rejects with a clear error if `work` has not settled within `timeoutMs`. */
export async function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} : pas de réponse en ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Thrown by the Redis store when Redis cannot answer; the API maps it to 503. */
export class CacheUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`Redis injoignable : ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'CacheUnavailableError';
  }
}

/**
 * Thrown by the Redis store when Redis refuses a write because it is full (`noeviction` at
 * `maxmemory`): nothing was written, nothing was evicted. Reads keep working; the API maps it to 503.
 */
export class StoreFullError extends Error {
  constructor(cause: unknown) {
    super(`Redis plein (maxmemory atteint, noeviction) : écriture refusée — ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'StoreFullError';
  }
}
