import { join } from 'node:path';
import type { RenderedFile } from '../render.js';
import { header } from '../render.js';
import type { Site } from '../site.js';

/** PM2 app names, shared by the ecosystem, `deploy` and the tests. */
export const APPS = { api: 'girlycrea-api', web: 'girlycrea-web', worker: 'girlycrea-worker' } as const;

/** Where PM2 keeps its state, and the deploy its release pointer. */
export function runFiles(site: Site): { pm2Home: string; release: string } {
  return {
    pm2Home: join(site.paths.run, 'pm2'),
    release: join(site.paths.run, 'release.json'),
  };
}

/** PM2 waits this long for a new API worker's `ready` before giving up on it (boot is ~1–3 s). */
export const API_LISTEN_TIMEOUT_MS = 30_000;
/** Margin PM2 gives a worker past its own shutdown timeout before SIGKILL. */
export const KILL_MARGIN_MS = 5_000;
/** Node's keep-alive in the API and the storefront (main.ts, server.mjs), above Nginx's upstream keep-alive. */
export const NODE_KEEPALIVE_MS = 65_000;

/** The kill_timeout PM2 uses for the API: above SHUTDOWN_TIMEOUT_MS so in-flight requests finish. */
export function apiKillTimeoutMs(site: Site): number {
  return site.api.shutdownTimeoutMs + KILL_MARGIN_MS;
}

/**
 * `etc/girlycrea/ecosystem.config.cjs`: the API in cluster mode on one port, the storefront, and the
 * worker (outbox + periodic jobs). Secrets come from the root-only env file, the release (commit and
 * storefront build folder) from the file `npm run deploy` writes, both read each time PM2 loads it.
 */
export function renderEcosystem(site: Site): RenderedFile[] {
  const files = runFiles(site);
  const app = site.paths.app;
  const logs = site.paths.logs;
  const js = (value: unknown) => JSON.stringify(value);
  const content = `${header('//', 'PM2 ecosystem of the shop: `pm2 start|reload` this file (npm start and npm run deploy do).')}'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { parseEnv } = require('node:util');

const app = ${js(app)}; // site.paths.app
const logs = ${js(logs)}; // site.paths.logs
const secretsFile = ${js(site.paths.secrets)}; // site.paths.secrets (root-only)
const releaseFile = ${js(files.release)}; // site.paths.run + /release.json, written by npm run deploy

// Secrets (DATABASE_URL, REDIS_URL…) live on the VPS only, never in this file.
const secrets = existsSync(secretsFile) ? parseEnv(readFileSync(secretsFile, 'utf8')) : {};
// Without a deploy yet (a first npm start), the build in apps/web/.next serves.
const release = existsSync(releaseFile) ? JSON.parse(readFileSync(releaseFile, 'utf8')) : { commit: 'unknown', webDistDir: '.next' };

const revalidateSecret = secrets.REVALIDATE_SECRET || process.env.REVALIDATE_SECRET;
// The shop's public address: https:// + site.domain unless the environment names another (npm start on a laptop).
const shopUrl = process.env.SHOP_URL || ${js(`https://${site.domain}`)};
const shared = {
  SHOP_URL: shopUrl,
  ...secrets,
  NODE_ENV: 'production',
  RELEASE: release.commit,
  HOST: '127.0.0.1',
};

// A process that dies within 5 s of starting counts as a failed start: PM2 retries with a growing
// delay and gives up after 10, instead of spinning. One log file per app, not per instance.
const restarts = { min_uptime: 5000, max_restarts: 10, exp_backoff_restart_delay: 200, merge_logs: true };

module.exports = {
  apps: [
    {
      name: ${js(APPS.api)},
      script: app + '/apps/api/dist/entry.js',
      cwd: app,
      exec_mode: 'cluster',
      instances: ${site.api.workers}, // site.api.workers
      // A worker gets traffic only once it said 'ready' (after listen); reload replaces them one by one.
      wait_ready: true,
      listen_timeout: ${API_LISTEN_TIMEOUT_MS}, // above the slowest boot seen (~3 s)
      kill_timeout: ${apiKillTimeoutMs(site)}, // site.api.shutdownTimeoutMs + ${KILL_MARGIN_MS}
      max_memory_restart: '${site.api.memoryMb}M', // site.api.memoryMb
      ...restarts,
      out_file: logs + '/api.log',
      error_file: logs + '/api.error.log',
      env: {
        ...shared,
        PORT: '${site.api.port}', // site.api.port
        METRICS_PORT: '${site.api.metricsPort}', // site.api.metricsPort (+ NODE_APP_INSTANCE per worker)
        DATABASE_POOL_MAX: '${site.api.poolMax}', // site.api.poolMax
        DATABASE_CONNECT_TIMEOUT_MS: '${site.api.databaseConnectTimeoutMs}', // site.api.databaseConnectTimeoutMs
        DATABASE_QUERY_TIMEOUT_MS: '${site.api.databaseQueryTimeoutMs}', // site.api.databaseQueryTimeoutMs
        SHUTDOWN_TIMEOUT_MS: '${site.api.shutdownTimeoutMs}', // site.api.shutdownTimeoutMs
        // Product images uploaded in the back office (served at /api/uploads/, backed up with the uploads).
        UPLOADS_DIR: ${js(site.paths.uploads)}, // site.paths.uploads
        // The outbox and expiry jobs run in ${APPS.worker}, out of the request loop.
        JOBS: 'off',
        // Catalog changes re-render the storefront's pages at once (its POST /revalidate) when the secret is known.
        ...(revalidateSecret ? { STOREFRONT_INTERNAL_URL: 'http://127.0.0.1:${site.web.port}', REVALIDATE_SECRET: revalidateSecret } : {}), // site.web.port
      },
    },
    {
      name: ${js(APPS.web)},
      // Next's server with a drain on SIGINT (apps/web/server.mjs), not \`next start\`.
      script: app + '/apps/web/server.mjs',
      cwd: app + '/apps/web',
      exec_mode: 'cluster',
      instances: ${site.web.instances}, // site.web.instances
      wait_ready: true,
      listen_timeout: ${API_LISTEN_TIMEOUT_MS},
      kill_timeout: ${apiKillTimeoutMs(site)}, // site.api.shutdownTimeoutMs + ${KILL_MARGIN_MS}
      max_memory_restart: '${site.web.memoryMb}M', // site.web.memoryMb
      ...restarts,
      out_file: logs + '/web.log',
      error_file: logs + '/web.error.log',
      env: {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '${site.web.port}', // site.web.port
        SHUTDOWN_TIMEOUT_MS: '${site.api.shutdownTimeoutMs}', // site.api.shutdownTimeoutMs
        NEXT_DIST_DIR: release.webDistDir, // the build npm run deploy made for this release
        API_ORIGIN: 'http://127.0.0.1:${site.api.port}', // site.api.port
        SITE_URL: shopUrl,
        REVALIDATE_SECRET: revalidateSecret,
      },
    },
    {
      name: ${js(APPS.worker)},
      script: app + '/apps/api/dist/worker-entry.js',
      cwd: app,
      exec_mode: 'fork',
      instances: 1,
      wait_ready: true,
      listen_timeout: ${API_LISTEN_TIMEOUT_MS},
      kill_timeout: ${apiKillTimeoutMs(site)}, // site.api.shutdownTimeoutMs + ${KILL_MARGIN_MS}
      max_memory_restart: '${site.worker.memoryMb}M', // site.worker.memoryMb
      ...restarts,
      out_file: logs + '/worker.log',
      error_file: logs + '/worker.error.log',
      env: {
        ...shared,
        METRICS_PORT: '${site.worker.metricsPort}', // site.worker.metricsPort
        DATABASE_POOL_MAX: '4',
        // Jobs may run longer queries: the server's statement_timeout cancels them first; this only
        // catches a frozen server.
        DATABASE_QUERY_TIMEOUT_MS: '${site.postgres.statementTimeoutMs + 1000}', // site.postgres.statementTimeoutMs + 1000
        SHUTDOWN_TIMEOUT_MS: '${site.api.shutdownTimeoutMs}', // site.api.shutdownTimeoutMs
      },
    },
  ],
};
`;
  const logrotate = `${header('#', 'logrotate for the PM2 logs (JSON lines).')}${logs}/*.log { # site.paths.logs
  daily
  rotate 14
  maxsize 100M
  compress
  delaycompress
  missingok
  notifempty
  # PM2 keeps its files open: truncate in place instead of moving them.
  copytruncate
  su ${site.system.user} ${site.system.user} # site.system.user
}
`;
  return [
    { path: 'etc/girlycrea/ecosystem.config.cjs', content },
    { path: 'etc/logrotate.d/girlycrea', content: logrotate },
  ];
}
