import { createMemoryCache } from './memory.js';
import { createRedis, type RedisConfig } from './redis.js';
import type { CacheStore } from './store.js';

export type { CacheStore } from './store.js';
export { withTimeout } from './store.js';
export { createMemoryCache } from './memory.js';
export { createRedis, type RedisConfig } from './redis.js';
export { computeEtag, createResponseCache, type CachedResponse, type ResponseCache } from './response-cache.js';

/** Redis when `url` is set, otherwise the in-memory store (development without services). */
export function createCacheStore(config: Omit<RedisConfig, 'url'> & { url?: string | undefined }): CacheStore {
  return config.url ? createRedis({ ...config, url: config.url }) : createMemoryCache();
}
export { CacheUnavailableError, StoreFullError } from './store.js';
export { createSessionStore, guestCsrfToken, isSessionId, newSessionId, type Session, type SessionData, type SessionStore } from './sessions.js';
export { createRateLimitStore, type RateLimitCounterStore } from './rate-limit-store.js';
