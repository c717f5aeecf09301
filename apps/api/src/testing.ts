import { createRedis, createResponseCache, type CacheStore } from '@girlycrea/cache';
import { createPool, type Pool } from '@girlycrea/db';
import { createLogger } from '@girlycrea/observability/logger';
import { createTestDatabase, deleteKeys, uniquePrefix, type TestDatabase } from '@girlycrea/testkit';
import supertest from 'supertest';
import { inject } from 'vitest';
import { createApp } from './app.js';

/** An API wired to its own database (through PgBouncer) and Redis key prefix, for one test file. */
export interface TestApp {
  http: ReturnType<typeof supertest>;
  app: ReturnType<typeof createApp>;
  db: Pool;
  cache: CacheStore;
  database: TestDatabase;
  close(): Promise<void>;
}

/** Overrides for fault tests: build the pool or the cache against servers the test controls. */
export interface TestAppOptions {
  db?: (database: TestDatabase) => Pool;
  cache?: () => CacheStore;
}

/** Builds the app on a fresh clone of the seeded template database, as production wires it. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(inject('testDb'));
  const redisUrl = inject('redisUrl');
  const prefix = uniquePrefix();
  const db = options.db?.(database) ?? createPool({ url: database.pooledUrl, max: 10 });
  const cache = options.cache?.() ?? createRedis({ url: redisUrl, keyPrefix: prefix });
  const logger = createLogger({ level: 'silent' });
  const app = createApp({ config: { TRUST_PROXY: 'loopback' }, db, cache, responseCache: createResponseCache(cache), logger });
  return {
    http: supertest(app),
    app,
    db,
    cache,
    database,
    async close() {
      await Promise.allSettled([db.end(), cache.close()]);
      await Promise.all([deleteKeys(redisUrl, prefix), database.drop()]);
    },
  };
}
