import { Redis, ReplyError } from 'ioredis';
import { CacheUnavailableError, withTimeout, type CacheStore } from './store.js';

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

const DECR_IF_POSITIVE = `
local n = tonumber(redis.call('GET', KEYS[1]))
if n and n > 0 then redis.call('DECR', KEYS[1]) end
return 1`;

const SADD_WITH_TTL = `
redis.call('SADD', KEYS[1], unpack(ARGV, 2))
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 1`;

/**
 * Creates a Redis-backed store. Commands issued while connecting wait for the connection, but
 * every command is bounded in time, so an unreachable Redis fails fast; the client reconnects
 * on its own when it comes back.
 */
export function createRedis(config: RedisConfig): CacheStore & { readonly client: Redis } {
  const client = new Redis(config.url, {
    keyPrefix: config.keyPrefix ?? '',
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1500,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  client.on('error', (error: Error) => config.onError?.(error));
  client.on('ready', () => config.onReady?.());
  // Connection failures surface as one error type the API maps to 503; Redis's own replies
  // (WRONGTYPE…) are programming errors and pass through unchanged.
  const guard = async <T>(command: () => Promise<T>): Promise<T> => {
    try {
      return await command();
    } catch (error) {
      throw error instanceof ReplyError ? error : new CacheUnavailableError(error);
    }
  };
  // Channels are not key-prefixed by ioredis: prefix them here so isolated users never cross.
  const channelName = (channel: string) => `${config.keyPrefix ?? ''}${channel}`;
  const handlers = new Map<string, ((message: string) => void)[]>();
  let subscriber: Redis | undefined;
  const subscriberConnection = (): Redis => {
    if (subscriber) return subscriber;
    // A subscribed connection can run nothing else; ioredis resubscribes after reconnecting.
    subscriber = client.duplicate({ keyPrefix: '' });
    subscriber.on('error', (error: Error) => config.onError?.(error));
    subscriber.on('message', (channel: string, message: string) => {
      for (const handler of handlers.get(channel) ?? []) handler(message);
    });
    return subscriber;
  };
  return {
    kind: 'redis',
    client,
    get: (key) => guard(() => client.get(key)),
    set: (key, value, ttlMs) => guard(async () => void (await client.set(key, value, 'PX', ttlMs))),
    del: (...keys) => (keys.length === 0 ? Promise.resolve(0) : guard(() => client.del(...keys))),
    incr: (key, ttlMs) => guard(async () => Number(await client.eval(INCR_WITH_TTL, 1, key, ttlMs))),
    decr: (key) => guard(async () => void (await client.eval(DECR_IF_POSITIVE, 1, key))),
    pttl: (key) => guard(() => client.pttl(key)),
    sadd: (key, members, ttlMs) =>
      guard(async () => void (members.length > 0 && (await client.eval(SADD_WITH_TTL, 1, key, ttlMs, ...members)))),
    smembers: (key) => guard(() => client.smembers(key)),
    publish: (channel, message) => guard(async () => void (await client.publish(channelName(channel), message))),
    async subscribe(channel, handler) {
      const name = channelName(channel);
      handlers.set(name, [...(handlers.get(name) ?? []), handler]);
      await guard(() => subscriberConnection().subscribe(name));
    },
    async ping(timeoutMs) {
      await withTimeout(guard(() => client.ping()), timeoutMs, 'Redis');
    },
    async close() {
      await Promise.all([client, subscriber].map((connection) => connection?.quit().catch(() => connection.disconnect())));
    },
  };
}
