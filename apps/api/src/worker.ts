// The shop's background process: the e-mail outbox and the periodic jobs, out of the API's request
// loop (rendering and sending mail cost ~9 % of checkout's CPU in the API). One instance is enough;
// more would be safe (claims are SKIP LOCKED).
import { createPool } from '@girlycrea/db';
import { countOutbox } from '@girlycrea/mailer';
import { createLogger } from '@girlycrea/observability/logger';
import { createMetrics, startMetricsServer } from '@girlycrea/observability/metrics';
import { recordException, shutdownTelemetry } from '@girlycrea/observability/telemetry';
import { loadConfigOrExit } from './config.js';
import { startJobs } from './jobs/start-jobs.js';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.NODE_ENV === 'development', name: 'worker' });
if (!config.DATABASE_URL) {
  logger.fatal('DATABASE_URL est requis pour le processus des tâches (e-mails, expiration des commandes)');
  process.exit(1);
}

const db = createPool({
  url: config.DATABASE_URL,
  max: config.DATABASE_POOL_MAX,
  connectionTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
  queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
  applicationName: 'girlycrea-worker',
  onIdleError: (error) => logger.warn({ err: error }, 'connexion PostgreSQL perdue, elle sera remplacée'),
});
const metrics = createMetrics({
  pool: db,
  countOutbox: () => countOutbox(db),
  onCollectError: (source, error) => logger.debug({ err: error, source }, 'métrique indisponible'),
});
const metricsServer = await startMetricsServer(metrics, { basePort: config.METRICS_PORT });
const jobs = startJobs({ config, db, logger, metrics });
logger.info({ metricsPort: config.METRICS_PORT }, 'processus des tâches démarré (e-mails, expiration des commandes)');
process.send?.('ready');

for (const event of ['unhandledRejection', 'uncaughtException'] as const) {
  process.on(event, (error) => {
    recordException(error);
    logger.error({ err: error }, event);
  });
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'arrêt : fin des envois en cours');
  await jobs.stop();
  await Promise.allSettled([db.end(), metricsServer.close()]);
  logger.info('arrêt terminé');
  await shutdownTelemetry();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
