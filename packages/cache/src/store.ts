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
  /** Sends `message` to every subscriber of `channel`, in every process sharing the store (this one too). */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `handler` for each message on `channel` until the store closes. Messages sent while disconnected are lost. */
  subscribe(channel: string, handler: (message: string) => void): Promise<void>;
  /** Resolves when the store answers within `timeoutMs`, rejects otherwise. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
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
