import { EventEmitter } from 'node:events';
import { assertHashIncrement, type CacheStore, type HashIncrementResult } from './store.js';

interface Entry {
  value: string | Set<string> | Map<string, string>;
  expiresAt: number;
}

/** Creates an in-process store for zero-setup development; state is lost on restart and not shared. */
export function createMemoryCache(): CacheStore {
  const entries = new Map<string, Entry>();
  const channels = new EventEmitter();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const wrongType = () => new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
  // Hash operations below never await before they finish changing the entry: like the Redis
  // scripts, each one is atomic with respect to every other call.
  const liveHash = (key: string): Map<string, string> | undefined => {
    const entry = live(key);
    if (entry && !(entry.value instanceof Map)) throw wrongType();
    return entry?.value as Map<string, string> | undefined;
  };
  const writableHash = (key: string): Map<string, string> => {
    const existing = liveHash(key);
    if (existing) return existing;
    const hash = new Map<string, string>();
    entries.set(key, { value: hash, expiresAt: Number.POSITIVE_INFINITY });
    return hash;
  };
  const touch = (key: string, ttlMs: number) => {
    const entry = entries.get(key);
    if (!entry) return;
    if (entry.value instanceof Map && entry.value.size === 0) entries.delete(key);
    else entry.expiresAt = Date.now() + ttlMs;
  };
  const copy = (key: string) => new Map(liveHash(key) ?? []);

  return {
    kind: 'memory',
    async get(key) {
      const entry = live(key);
      if (!entry) return null;
      if (typeof entry.value !== 'string') throw wrongType();
      return entry.value;
    },
    async hgetall(key) {
      return copy(key);
    },
    async hincrCapped(key, field, change) {
      assertHashIncrement(change);
      const hash = liveHash(key);
      const current = hash?.get(field);
      const previous = current === undefined ? 0 : Number(current);
      if (current !== undefined && !/^-?\d+$/.test(current)) throw new Error('ERR hash value is not an integer');
      let outcome: HashIncrementResult['outcome'] = 'applied';
      if (current === undefined) {
        const counted = (hash?.size ?? 0) - (change.uncounted ?? []).filter((name) => hash?.has(name)).length;
        if (counted >= change.maxFields) outcome = 'too_many_fields';
      }
      let value = previous + change.by;
      if (outcome === 'applied' && value > change.max) {
        if (change.clamp && change.max > previous) value = change.max;
        else outcome = 'over_max';
      }
      if (outcome === 'applied') {
        writableHash(key).set(field, String(value));
        touch(key, change.ttlMs);
      }
      return { outcome, previous, hash: copy(key) };
    },
    async hset(key, field, value, options) {
      const exists = liveHash(key)?.has(field) ?? false;
      const when = options.when ?? 'always';
      const written = when === 'always' || (when === 'exists' && exists) || (when === 'missing' && !exists);
      if (written) {
        writableHash(key).set(field, value);
        touch(key, options.ttlMs);
      }
      return { written, hash: copy(key) };
    },
    async hdel(key, fields, ttlMs) {
      const hash = liveHash(key);
      if (hash && fields.length > 0) {
        for (const field of fields) hash.delete(field);
        touch(key, ttlMs);
      }
      return copy(key);
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    },
    async del(...keys) {
      return keys.filter((key) => live(key) !== undefined && entries.delete(key)).length;
    },
    async incr(key, ttlMs) {
      const entry = live(key);
      if (!entry) {
        entries.set(key, { value: '1', expiresAt: Date.now() + ttlMs });
        return 1;
      }
      if (typeof entry.value !== 'string' || !/^-?\d+$/.test(entry.value)) throw wrongType();
      entry.value = String(Number(entry.value) + 1);
      return Number(entry.value);
    },
    async decr(key) {
      const entry = live(key);
      if (entry && typeof entry.value === 'string' && Number(entry.value) > 0) entry.value = String(Number(entry.value) - 1);
    },
    async pttl(key) {
      const entry = live(key);
      return entry ? entry.expiresAt - Date.now() : -2;
    },
    async sadd(key, members, ttlMs) {
      if (members.length === 0) return;
      const entry = live(key) ?? { value: new Set<string>(), expiresAt: 0 };
      if (!(entry.value instanceof Set)) throw wrongType();
      for (const member of members) entry.value.add(member);
      entry.expiresAt = Math.max(entry.expiresAt, Date.now() + ttlMs);
      entries.set(key, entry);
    },
    async smembers(key) {
      const entry = live(key);
      if (entry && !(entry.value instanceof Set)) throw wrongType();
      return entry ? [...(entry.value as Set<string>)] : [];
    },
    async publish(channel, message) {
      channels.emit(channel, message);
    },
    async subscribe(channel, handler) {
      channels.on(channel, handler);
    },
    async ping() {},
    async close() {
      entries.clear();
      channels.removeAllListeners();
    },
  };
}
