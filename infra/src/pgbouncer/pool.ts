import type { Site } from '../site.js';

/** DATABASE_POOL_MAX of the girlycrea-worker process in the PM2 ecosystem; `infra check` proves they agree. */
export const WORKER_POOL_MAX = 4;

/**
 * Server connections PgBouncer opens for the app role: every API worker's pool plus the worker
 * process's, so a full set of Node pools never waits on PgBouncer.
 */
export function appPoolSize(site: Site): number {
  return site.api.workers * site.api.poolMax + WORKER_POOL_MAX;
}
