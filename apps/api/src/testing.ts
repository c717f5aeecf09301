import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createRedis, createResponseCache, createSessionStore, type CacheStore } from '@girlycrea/cache';
import { createPool, type Pool } from '@girlycrea/db';
import { createLogger } from '@girlycrea/observability/logger';
import { createMetrics, type Metrics } from '@girlycrea/observability/metrics';
import { createTestDatabase, deleteKeys, uniquePrefix, type TestDatabase } from '@girlycrea/testkit';
import supertest from 'supertest';
import { inject } from 'vitest';
import { createApp, type AppDeps } from './app.js';

/** An API wired to its own database (through PgBouncer) and Redis key prefix, for one test file. */
export interface TestApp {
  http: ReturnType<typeof supertest>;
  app: ReturnType<typeof createApp>;
  db: Pool;
  cache: CacheStore;
  database: TestDatabase;
  /** The Redis key prefix of this file: another app built on it shares its sessions and counters. */
  prefix: string;
  /** Another API instance on the same database and Redis prefix, with its own connections (a second process, or a restart). */
  sibling(): { app: ReturnType<typeof createApp>; close(): Promise<void> };
  close(): Promise<void>;
}

/** Overrides for fault tests: build the pool or the cache against servers the test controls. */
export interface TestAppOptions {
  db?: (database: TestDatabase) => Pool;
  cache?: () => CacheStore;
}

/** Wires an app as main.ts does, on the given pool and cache, with silent logs. */
export function buildApp(deps: {
  db: Pool;
  /** The state store: sessions, carts, rate limits. */
  cache: CacheStore;
  /** Where response bodies are cached (the cache Redis); defaults to the state store. */
  responseStore?: CacheStore;
  config?: Partial<AppDeps['config']>;
  devMailDir?: string;
  metrics?: Metrics;
  loginLimits?: AppDeps['loginLimits'];
}): ReturnType<typeof createApp> {
  return createApp({
    config: { TRUST_PROXY: 'loopback', NODE_ENV: 'test', SHOP_URL: 'http://boutique.test', ...deps.config },
    db: deps.db,
    cache: deps.cache,
    responseCache: createResponseCache(deps.responseStore ?? deps.cache),
    sessions: createSessionStore(deps.cache),
    logger: createLogger({ level: 'silent' }),
    metrics: deps.metrics ?? createMetrics(),
    ...(deps.devMailDir ? { devMailDir: deps.devMailDir } : {}),
    ...(deps.loginLimits ? { loginLimits: deps.loginLimits } : {}),
  });
}

/** Builds the app on a fresh clone of the seeded template database, as production wires it. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(inject('testDb'));
  const redisUrl = inject('redisUrl');
  const prefix = uniquePrefix();
  const db = options.db?.(database) ?? createPool({ url: database.pooledUrl, max: 10 });
  const cache = options.cache?.() ?? createRedis({ url: redisUrl, keyPrefix: prefix });
  const app = buildApp({ db, cache });
  return {
    http: supertest(app),
    app,
    db,
    cache,
    database,
    prefix,
    sibling() {
      const siblingDb = createPool({ url: database.pooledUrl, max: 2 });
      const siblingCache = createRedis({ url: redisUrl, keyPrefix: prefix });
      return {
        app: buildApp({ db: siblingDb, cache: siblingCache }),
        async close() {
          await Promise.allSettled([siblingDb.end(), siblingCache.close()]);
        },
      };
    },
    async close() {
      await Promise.allSettled([db.end(), cache.close()]);
      await Promise.all([deleteKeys(redisUrl, prefix), database.drop()]);
    },
  };
}

/** A real API process, started as PM2 starts it: the telemetry entry, an IPC channel for `ready`, signals. */
export interface ApiProcess {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the `ready` message, rejects if the process exits first. */
  ready: Promise<unknown>;
}

// Production requires its own key; each test run makes one up.
const TEST_TOTP_ENCRYPTION_KEY = randomBytes(32).toString('base64');

/**
 * Forks `src/entry.ts` (or the jobs process, `src/worker-entry.ts`) through tsx, with exactly `env`
 * plus PATH (and a TOTP key, which `env` may blank).
 */
export function startApiProcess(env: Record<string, string>, entry: 'entry.ts' | 'worker-entry.ts' = 'entry.ts'): ApiProcess {
  let output = '';
  const child = fork(fileURLToPath(new URL(`./${entry}`, import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--conditions=development'],
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', NODE_ENV: 'production', TOTP_ENCRYPTION_KEY: TEST_TOTP_ENCRYPTION_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  return { child, output: () => output, ready };
}
