import { Redis } from 'ioredis';
import { withTimeout, type CacheStore } from './store.js';

/** Connection settings for Redis. */
export interface RedisConfig {
  url: string;
  /** Prepended to every key (isolates tests and apps sharing one server). */
  keyPrefix?: string;
  /** Called on connection errors; the client keeps reconnecting by itself. */
  onError?: (error: Error) => void;
  /** Called each time the connection is (re)established. */
  onReady?: () => void;
}

// Lua keeps "increment and start the window" atomic, so two workers never both see a fresh counter.
const INCR_WITH_TTL = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

const SADD_WITH_TTL = `
redis.call('SADD', KEYS[1], unpack(ARGV, 2))
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 1`;

/**
 * Creates a Redis-backed store. Commands fail fast while Redis is unreachable (no offline queue,
 * bounded command time) and the client reconnects on its own when it comes back.
 */
export function createRedis(config: RedisConfig): CacheStore & { readonly client: Redis } {
  const client = new Redis(config.url, {
    keyPrefix: config.keyPrefix ?? '',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1500,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  client.on('error', (error: Error) => config.onError?.(error));
  client.on('ready', () => config.onReady?.());
  return {
    kind: 'redis',
    client,
    get: (key) => client.get(key),
    async set(key, value, ttlMs) {
      await client.set(key, value, 'PX', ttlMs);
    },
    del: (...keys) => (keys.length === 0 ? Promise.resolve(0) : client.del(...keys)),
    async incr(key, ttlMs) {
      return Number(await client.eval(INCR_WITH_TTL, 1, key, ttlMs));
    },
    pttl: (key) => client.pttl(key),
    async sadd(key, members, ttlMs) {
      if (members.length > 0) await client.eval(SADD_WITH_TTL, 1, key, ttlMs, ...members);
    },
    smembers: (key) => client.smembers(key),
    async ping(timeoutMs) {
      await withTimeout(client.ping(), timeoutMs, 'Redis');
    },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
