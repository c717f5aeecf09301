import type { CacheStore } from '@girlycrea/cache';
import { pingDb, type Pool } from '@girlycrea/db';

/** Each dependency's state. */
export type CheckState = 'ok' | 'down';

/** The health report of `GET /api/health`. */
export interface HealthReport {
  status: 'ok' | 'error';
  checks: { db: CheckState; redis: CheckState };
  /** The running release's git commit ('dev' outside a deploy). */
  release: string;
}

// Both checks together stay well under the 2 s a load balancer or an operator waits.
const CHECK_TIMEOUT_MS = 1500;

/** Pings PostgreSQL and Redis in parallel, each bounded in time, and names what is down. */
export async function checkHealth(deps: { db: Pool; cache: CacheStore; release?: string | undefined }): Promise<HealthReport> {
  const state = (result: PromiseSettledResult<unknown>): CheckState => (result.status === 'fulfilled' ? 'ok' : 'down');
  const [db, redis] = await Promise.allSettled([pingDb(deps.db, CHECK_TIMEOUT_MS), deps.cache.ping(CHECK_TIMEOUT_MS)]);
  const checks = { db: state(db), redis: state(redis) };
  return { status: checks.db === 'ok' && checks.redis === 'ok' ? 'ok' : 'error', checks, release: deps.release ?? 'dev' };
}
