import { createServer } from 'node:http';
import { join } from 'node:path';
import { createCacheStore, createResponseCache, createSessionStore } from '@girlycrea/cache';
import { createPool } from '@girlycrea/db';
import { countOutbox } from '@girlycrea/mailer';
import { createLogger } from '@girlycrea/observability/logger';
import { gracefulServer } from '@girlycrea/observability/graceful';
import { createMetrics, startMetricsServer } from '@girlycrea/observability/metrics';
import { recordException, shutdownTelemetry } from '@girlycrea/observability/telemetry';
import { createApp } from './app.js';
import { loadConfigOrExit } from './config.js';
import { startJobs } from './jobs/start-jobs.js';
import { createSecretBox } from './modules/admin/secret-box.js';
import { sealClearSecrets } from './modules/admin/second-factor.js';
import { startCatalogListener } from './modules/catalog/changes.js';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.NODE_ENV === 'development', name: 'api' });
const development = config.NODE_ENV === 'development';

// Development without DATABASE_URL: an embedded PostgreSQL (PGlite) keeps its data under .data/.
const embedded =
  config.DATABASE_URL === undefined
    ? await (await import('@girlycrea/db/embedded')).startEmbeddedPostgres({
        dataDir: join(config.DATA_DIR, 'pglite'),
        port: config.EMBEDDED_DB_PORT,
      })
    : undefined;
const databaseUrl = config.DATABASE_URL ?? embedded!.url;
if (embedded) logger.info({ dataDir: config.DATA_DIR }, 'base embarquée PGlite démarrée (pas de DATABASE_URL)');

const db = createPool({
  url: databaseUrl,
  max: embedded ? 4 : config.DATABASE_POOL_MAX,
  connectionTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
  queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
  applicationName: 'girlycrea-api',
  onIdleError: (error) => logger.warn({ err: error }, 'connexion PostgreSQL perdue, elle sera remplacée'),
});

if (development) {
  // In production migrations are an explicit operator step (`npm run migrate`).
  const { migrate } = await import('@girlycrea/db/migrate');
  const { seedDemoCatalog } = await import('@girlycrea/db/seed');
  await migrate(config.DATABASE_DIRECT_URL ?? databaseUrl, { onProgress: (line) => logger.info(line) });
  const seeded = await seedDemoCatalog(db, { onProgress: (line) => logger.info(line) });
  if (!seeded.skipped) logger.info(seeded, 'catalogue de démonstration créé');
}

// TOTP secrets written in clear before migration 0021 are encrypted now (and at their next use, should this fail).
await sealClearSecrets(db, createSecretBox(config.TOTP_ENCRYPTION_KEY))
  .then((sealed) => sealed > 0 && logger.info({ sealed }, 'secrets de double authentification chiffrés'))
  .catch((error: unknown) => logger.warn({ err: error }, 'secrets de double authentification pas encore chiffrés (migration 0021 appliquée ?)'));

/** Logs a Redis outage once (ioredis reports every reconnection attempt) and its end. */
function outageLogger(role: 'état' | 'cache') {
  let down = false;
  return {
    onError: (error: Error) => {
      if (!down) logger.error({ err: error }, `Redis (${role}) injoignable, nouvelle tentative en continu`);
      down = true;
    },
    onReady: () => {
      if (down) logger.info(`Redis (${role}) de retour`);
      down = false;
    },
  };
}
// Two roles that must not hurt each other: the state (sessions, carts, rate limits) never evicts,
// the response cache may lose anything. Without REDIS_CACHE_URL (development only) the cache shares
// the state store, capped so it cannot fill it.
const cache = createCacheStore({ url: config.REDIS_URL, ...outageLogger('état') });
const cacheStore = config.REDIS_CACHE_URL ? createCacheStore({ url: config.REDIS_CACHE_URL, ...outageLogger('cache') }) : cache;
if (cache.kind === 'memory') logger.info('cache en mémoire (pas de REDIS_URL)');
const responseCache = createResponseCache(cacheStore, {
  ...(cacheStore === cache ? { maxEntriesPerTtl: config.REDIS_CACHE_MAX_ENTRIES } : {}),
  onError: (error) => logger.debug({ err: error }, 'cache de réponses indisponible, lecture directe'),
});

const metrics = createMetrics({
  pool: db,
  ...(cache.kind === 'redis' ? { pingRedis: () => cache.ping(1000) } : {}),
  countOutbox: () => countOutbox(db),
  onCollectError: (source, error) => logger.debug({ err: error, source }, 'métrique indisponible'),
});
// Under PM2 the outbox and periodic jobs run in their own process (JOBS=off here); alone, the API runs them.
const jobs = config.JOBS === 'on' ? startJobs({ config, db, logger, metrics }) : undefined;

const app = createApp({
  config,
  db,
  cache,
  responseCache,
  sessions: createSessionStore(cache),
  logger,
  metrics,
  ...(development && jobs && !config.SMTP_URL ? { devMailDir: jobs.mailCaptureDir } : {}),
});
// Every committed catalog change (migration 0013's triggers) drops this API's cached answers and has
// the storefront re-render the pages concerned. LISTEN needs a session: never through PgBouncer,
// which production's DATABASE_URL goes through.
const listenUrl = config.DATABASE_DIRECT_URL ?? (config.NODE_ENV === 'production' ? undefined : databaseUrl);
if (!listenUrl) logger.warn('DATABASE_DIRECT_URL absent : les changements du catalogue ne sont pas écoutés (pages et réponses à jour sous 1 h seulement)');
const catalogListener = listenUrl
  ? startCatalogListener({
      directUrl: listenUrl,
      responseCache,
      logger,
      ...(config.STOREFRONT_INTERNAL_URL && config.REVALIDATE_SECRET
        ? { storefront: { url: config.STOREFRONT_INTERNAL_URL, secret: config.REVALIDATE_SECRET } }
        : {}),
    })
  : undefined;
const server = createServer(app);
const graceful = gracefulServer(server);
server.listen(config.PORT, config.HOST, () => {
  logger.info(`API prête sur http://${config.HOST}:${config.PORT}`);
  // PM2 (wait_ready) starts routing to this worker only now.
  process.send?.('ready');
});
// Outlive Nginx's upstream keep-alive so it never reuses a socket Node just closed (random 502s).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
// Metrics are not public: one loopback port per PM2 instance, scraped by Prometheus.
const metricsServer = await startMetricsServer(metrics, { basePort: config.METRICS_PORT, instance: config.NODE_APP_INSTANCE }).catch(
  (error: unknown) => {
    // A reload in fork mode briefly overlaps two workers on one port: serve the API anyway.
    logger.warn({ err: error }, 'serveur de métriques indisponible');
    return undefined;
  },
);

for (const event of ['unhandledRejection', 'uncaughtException'] as const) {
  process.on(event, (error) => {
    recordException(error);
    logger.error({ err: error }, event);
  });
}

server.on('error', (error) => {
  logger.fatal({ err: error }, `impossible d'écouter sur ${config.HOST}:${config.PORT}`);
  process.exit(1);
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'arrêt : plus de nouvelles connexions, fin des requêtes en cours');
  const { forced } = await graceful.close(config.SHUTDOWN_TIMEOUT_MS);
  if (forced) logger.warn('arrêt forcé : des requêtes duraient encore');
  await jobs?.stop();
  await Promise.allSettled([catalogListener?.close(), db.end(), cache.close(), ...(cacheStore === cache ? [] : [cacheStore.close()]), metricsServer?.close()]);
  await embedded?.stop();
  logger.info('arrêt terminé');
  await shutdownTelemetry();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
