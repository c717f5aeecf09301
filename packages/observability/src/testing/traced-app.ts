// A small Express app started in a child process by telemetry.test.ts, either with
// `--import @girlycrea/observability/register` (preload) or through traced-entry.ts (entry pattern).
// Settings come as JSON in argv[2]; the OTEL_* variables are the child's environment.
import { createRequire } from 'node:module';
import { trace } from '@opentelemetry/api';
import { accessLog } from '@girlycrea/observability/access-log';
import { createLogger } from '@girlycrea/observability/logger';
import { recordException, shutdownTelemetry, startTelemetry } from '@girlycrea/observability/telemetry';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Redis } from 'ioredis';
import pg from 'pg';

interface Settings {
  databaseUrl: string;
  redisUrl: string;
}

class KaboomError extends Error {}
class NotFoundError extends Error {}

// Idempotent: an entry script and the preload may both call it; only the first one counts (and logs).
await startTelemetry();

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
const logger = createLogger({ level: 'info', name: 'traced-app' });
const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 2 });
const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: 1 });

const api = express.Router();
api.get('/products/:slug', async (req, res) => {
  const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
  const pong = await redis.ping();
  // A session key: its name is a credential and must not end up in a span.
  await redis.get('sess:jeton-de-session-secret');
  logger.info({ slug: req.params.slug }, 'produit lu');
  res.json({ slug: req.params.slug, one: rows[0]?.one, pong });
});
api.get('/boom', async () => {
  throw new KaboomError('la caisse a pris feu');
});
api.get('/missing/:id', async () => {
  throw new NotFoundError('pas de tel produit');
});
api.get('/state', (_req, res) => {
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  res.json({
    activeSpan: trace.getActiveSpan() !== undefined,
    sdkLoaded: loaded.some((file) => file.includes('@opentelemetry/sdk-node')),
  });
});

const app = express();
let requests = 0;
app.use(accessLog(logger, { requestId: () => String((requests += 1)) }));
app.use('/api', api);
// As the API's error middleware: an expected outcome is a 4xx, only the unexpected is an exception.
app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
  if (error instanceof NotFoundError) {
    res.status(404).json({ error: { code: 'not_found' } });
    return;
  }
  recordException(error);
  logger.error({ err: error }, 'erreur inattendue');
  res.status(500).json({ error: { code: 'internal' } });
});

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});

// The app's own graceful shutdown: close everything, flush telemetry last, then let the process end by itself.
process.once('SIGTERM', async () => {
  server.close();
  server.closeAllConnections();
  await pool.end();
  redis.disconnect();
  await shutdownTelemetry();
  logger.info('arrêt terminé');
});
