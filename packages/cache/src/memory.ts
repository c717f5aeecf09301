import { EventEmitter } from 'node:events';
import type { CacheStore } from './store.js';

interface Entry {
  value: string | Set<string>;
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

  return {
    kind: 'memory',
    async get(key) {
      const entry = live(key);
      if (!entry) return null;
      if (typeof entry.value !== 'string') throw wrongType();
      return entry.value;
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
      if (typeof entry.value === 'string') throw wrongType();
      for (const member of members) entry.value.add(member);
      entry.expiresAt = Math.max(entry.expiresAt, Date.now() + ttlMs);
      entries.set(key, entry);
    },
    async smembers(key) {
      const entry = live(key);
      if (entry && typeof entry.value === 'string') throw wrongType();
      return entry ? [...entry.value] : [];
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
