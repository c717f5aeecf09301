import { createMemoryCache } from './memory.js';
import { createRedis } from './redis.js';
import type { CacheStore } from './store.js';

/** Both CacheStore implementations, named, for suites that must pass on each (the contract). */
export function storeImplementations(redisUrl: string, keyPrefix: string): [string, () => CacheStore][] {
  return [
    ['redis', () => createRedis({ url: redisUrl, keyPrefix })],
    ['memory', () => createMemoryCache()],
  ];
}
