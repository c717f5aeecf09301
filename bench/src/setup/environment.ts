import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startSmtpSink } from '@girlycrea/mailer/testing';
import { freePort, startPgBouncer } from '@girlycrea/testkit';
import { startStripeStandIn } from '@girlycrea/testkit/stripe';
import type { Cleanup } from '../cleanup.js';
import { loadFixtures, type Fixtures } from '../fixtures.js';
import { progress, step } from '../log.js';
import type { BenchOptions } from '../options.js';
import type { ApiBackends } from '../servers/api.js';
import { buildAll } from './build.js';
import { createBenchDatabase } from './database.js';
import { claimRedisDatabase } from './redis.js';

/** The single API listens here when free (else see `BenchEnvironment.apiPort`): the storefront build bakes this origin into its /api rewrite. */
export const API_PORT = 3901;
/** The origin baked into the storefront build. */
export const API_ORIGIN = `http://127.0.0.1:${API_PORT}`;
const GENERATED_PRODUCTS = 1000;
// Debian's PostgreSQL socket; without it PgBouncer reaches PostgreSQL on 127.0.0.1.
const POSTGRES_SOCKET = '/var/run/postgresql/.s.PGSQL.5432';

/** Everything the servers under test need, all started by `prepareEnvironment`. */
export interface BenchEnvironment {
  tempDir: string;
  /** Port of the single API: 3901, or a free one when something else holds 3901. */
  apiPort: number;
  backends: ApiBackends;
  fixtures: Fixtures;
  database: string;
  redisUrl: string;
  pgbouncerPort: number;
}

async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Server-rendered pages read API_ORIGIN at run time, so only the browser-side /api rewrite keeps 3901.
async function chooseApiPort(): Promise<number> {
  if (await isPortFree(API_PORT)) return API_PORT;
  const port = await freePort();
  progress(`port ${API_PORT} occupé par un autre processus : l’API du bench écoute sur ${port} (les pages Next la trouvent par API_ORIGIN)`);
  return port;
}

/** Builds, then starts a fresh database (migrated, seeded), PgBouncer, a Redis db and an SMTP sink. */
export async function prepareEnvironment(cleanup: Cleanup, options: BenchOptions): Promise<BenchEnvironment> {
  const tempDir = await mkdtemp(join(tmpdir(), 'gc-bench-'));
  cleanup.defer('dossier temporaire', () => rm(tempDir, { recursive: true, force: true }));
  const apiPort = await chooseApiPort();

  if (options.skipBuild) console.log('[bench] --skip-build : dist/ et .next/ utilisés tels quels');
  else {
    await step('build de production (npx turbo run build)', 'corrigez l’erreur de build ci-dessus (npx turbo run build), puis relancez', () =>
      buildAll(API_ORIGIN),
    );
  }
  const redisUrl = await step('Redis : base logique libre', 'démarrez Redis 7 sur 127.0.0.1:6379 (redis-server), ou libérez une base 1 à 15', () =>
    claimRedisDatabase(cleanup),
  );
  const database = await step(
    `PostgreSQL : base neuve, migrations, seed (démo + ${GENERATED_PRODUCTS} produits)`,
    'vérifiez que PostgreSQL 15 tourne sur 127.0.0.1:5432 (utilisateur postgres, trust) et que `npm run migrate` passe',
    () => createBenchDatabase(cleanup, GENERATED_PRODUCTS),
  );
  const pgbouncer = await step('PgBouncer (mode transaction)', 'installez pgbouncer (bash infra/test/prepare.sh en root), puis relancez', async () => {
    // As on the VPS: the API reaches PgBouncer, and PgBouncer PostgreSQL, over Unix sockets (no loopback TCP per query).
    const bouncer = await startPgBouncer({ postgresHost: existsSync(POSTGRES_SOCKET) ? dirname(POSTGRES_SOCKET) : '127.0.0.1', postgresPort: 5432 });
    cleanup.defer('PgBouncer', () => bouncer.dispose());
    return bouncer;
  });
  const smtp = await step('puits SMTP (remplace Postfix)', 'relancez ; un port libre de loopback est nécessaire', async () => {
    const sink = await startSmtpSink();
    // The sink keeps every message; only delivery matters here, so drop them to keep the bench's memory flat.
    const trim = setInterval(() => void sink.received.splice(0), 1000);
    cleanup.defer('puits SMTP', async () => {
      clearInterval(trim);
      await sink.stop();
    });
    return sink;
  });
  const stripe = await step('stand-in Stripe (sessions de paiement)', 'relancez ; un port libre de loopback est nécessaire', async () => {
    const standIn = await startStripeStandIn();
    // Only the answers matter here: drop what it records to keep the bench's memory flat.
    const trim = setInterval(() => {
      standIn.calls.splice(0);
      standIn.sessions.clear();
    }, 1000);
    cleanup.defer('stand-in Stripe', async () => {
      clearInterval(trim);
      await standIn.close();
    });
    return standIn;
  });
  const fixtures = await step('données des scénarios (slugs, vocabulaire, variantes)', 'la base semble incomplète : relancez le bench', () =>
    loadFixtures(database.directUrl),
  );
  return {
    tempDir,
    apiPort,
    database: database.name,
    redisUrl,
    pgbouncerPort: pgbouncer.port,
    fixtures,
    backends: {
      databaseUrl: pgbouncer.socketUrl(database.name),
      databaseDirectUrl: database.directUrl,
      redisUrl,
      smtpUrl: smtp.url,
      dataDir: join(tempDir, 'data'),
      stripeApiBase: stripe.url,
    },
  };
}
