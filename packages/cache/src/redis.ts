import { Redis, ReplyError } from 'ioredis';
import { assertHashIncrement, CacheUnavailableError, StoreFullError, withTimeout, type CacheStore, type HashIncrementResult } from './store.js';

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

// Hash scripts answer with the whole hash after the change, so a caller never needs a second read.
// KEYS[1] hash; ARGV: field, by, max, maxFields, ttlMs, clamp ('1'), uncounted fields…
const HINCR_CAPPED = `
local key, field = KEYS[1], ARGV[1]
local by, max, maxFields = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local current = redis.call('HGET', key, field)
local previous = 0
if current then
  previous = tonumber(current)
  if previous == nil or previous ~= math.floor(previous) then return redis.error_reply('ERR hash value is not an integer') end
end
local outcome = 'applied'
if not current then
  local counted = redis.call('HLEN', key)
  for i = 7, #ARGV do counted = counted - redis.call('HEXISTS', key, ARGV[i]) end
  if counted >= maxFields then outcome = 'too_many_fields' end
end
local value = previous + by
if outcome == 'applied' and value > max then
  if ARGV[6] == '1' and max > previous then value = max else outcome = 'over_max' end
end
if outcome == 'applied' then
  redis.call('HSET', key, field, string.format('%d', value))
  redis.call('PEXPIRE', key, ARGV[5])
end
return {outcome, previous, redis.call('HGETALL', key)}`;

// KEYS[1] hash; ARGV: field, value, ttlMs, when ('always' | 'exists' | 'missing')
const HSET_WHEN = `
local exists = redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1
local when = ARGV[4]
local written = 0
if when == 'always' or (when == 'exists' and exists) or (when == 'missing' and not exists) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  written = 1
end
return {written, redis.call('HGETALL', KEYS[1])}`;

// KEYS[1] hash; ARGV: ttlMs, fields…
const HDEL_TOUCH = `
redis.call('HDEL', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return redis.call('HGETALL', KEYS[1])`;

// HGETALL's flat [field, value, …] reply, kept in order (ioredis' own hgetall builds an object,
// which would move integer-like field names first).
function toMap(flat: unknown): Map<string, string> {
  const list = flat as string[];
  const hash = new Map<string, string>();
  for (let i = 0; i + 1 < list.length; i += 2) hash.set(list[i]!, list[i + 1]!);
  return hash;
}

/** How long one command may wait for Redis's answer before it fails as unavailable. */
const COMMAND_TIMEOUT_MS = 1500;

type ScriptCall = (key: string, ...args: (string | number)[]) => Promise<unknown>;

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
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    // Commands issued in the same event-loop turn (by concurrent requests) leave in one write:
    // far fewer syscalls under load, same order and same answers.
    enableAutoPipelining: true,
  });
  client.on('error', (error: Error) => config.onError?.(error));
  client.on('ready', () => config.onReady?.());
  // defineCommand sends EVALSHA and falls back to EVAL once per connection (NOSCRIPT).
  const script = (name: string, lua: string): ScriptCall => {
    client.defineCommand(name, { numberOfKeys: 1, lua });
    const call = (client as unknown as Record<string, ScriptCall>)[name]!;
    return (key, ...args) => call.call(client, key, ...args);
  };
  const hincrCapped = script('gcHincrCapped', HINCR_CAPPED);
  const hsetWhen = script('gcHsetWhen', HSET_WHEN);
  const hdelTouch = script('gcHdelTouch', HDEL_TOUCH);
  // Once a command found Redis unreachable (no answer within commandTimeout: a frozen server; or a
  // lost connection), the following ones fail at once instead of each waiting as long again: a
  // request that needs several commands answers 503 within one timeout. One PING at a time probes
  // meanwhile; its answer (or a new connection) puts the client back in service.
  let reachable = true;
  let probe: Promise<unknown> | undefined;
  const startProbe = () => {
    probe ??= client
      .ping()
      .then(() => (reachable = true), () => undefined)
      .finally(() => (probe = undefined));
  };
  client.on('close', () => (reachable = false));
  client.on('ready', () => (reachable = true));
  // Connection failures and a full Redis surface as error types the API maps to 503; Redis's other
  // replies (WRONGTYPE…) are programming errors and pass through unchanged.
  const guard = async <T>(command: () => Promise<T>): Promise<T> => {
    if (!reachable) {
      startProbe();
      throw new CacheUnavailableError(new Error('Redis injoignable (dernière commande sans réponse), nouvel essai en cours'));
    }
    try {
      // Timed from the call, not only from the write as ioredis does: an auto-pipelined command
      // waits for the pipeline in flight, which against a frozen server is a whole timeout more.
      return await withTimeout(command(), COMMAND_TIMEOUT_MS, 'Redis');
    } catch (error) {
      if (!(error instanceof ReplyError)) {
        reachable = false;
        startProbe();
        throw new CacheUnavailableError(error);
      }
      // A write refused at maxmemory (also from inside a script, whose error wraps Redis's own).
      throw /\bOOM command not allowed\b/.test((error as Error).message) ? new StoreFullError(error) : error;
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
    hgetall: (key) => guard(async () => toMap(await client.call('HGETALL', key))),
    async hincrCapped(key, field, change) {
      assertHashIncrement(change);
      return guard(async () => {
        const [outcome, previous, flat] = (await hincrCapped(
          key,
          field,
          change.by,
          change.max,
          change.maxFields,
          change.ttlMs,
          change.clamp ? '1' : '0',
          ...(change.uncounted ?? []),
        )) as [HashIncrementResult['outcome'], number, string[]];
        return { outcome, previous: Number(previous), hash: toMap(flat) };
      });
    },
    hset: (key, field, value, options) =>
      guard(async () => {
        const [written, flat] = (await hsetWhen(key, field, value, options.ttlMs, options.when ?? 'always')) as [number, string[]];
        return { written: written === 1, hash: toMap(flat) };
      }),
    hdel: (key, fields, ttlMs) =>
      guard(async () => toMap(fields.length === 0 ? await client.call('HGETALL', key) : await hdelTouch(key, ttlMs, ...fields))),
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
