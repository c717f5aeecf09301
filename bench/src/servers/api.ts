import { join } from 'node:path';
import type { Cleanup } from '../cleanup.js';
import { ROOT } from '../paths.js';
import { childEnv, startService, waitForHttp, type Service } from '../process.js';

/** What every API process of the bench is pointed at. */
export interface ApiBackends {
  /** Through PgBouncer (transaction mode), as in production. */
  databaseUrl: string;
  databaseDirectUrl: string;
  redisUrl: string;
  smtpUrl: string;
  dataDir: string;
}

/** A running API reachable at `origin`. */
export interface RunningApi {
  origin: string;
  service: Service;
}

/** The production environment of the API for the bench (NODE_ENV=production, LOG_LEVEL=warn). */
export function apiEnv(backends: ApiBackends, port: number): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: backends.databaseUrl,
    DATABASE_DIRECT_URL: backends.databaseDirectUrl,
    REDIS_URL: backends.redisUrl,
    SMTP_URL: backends.smtpUrl,
    DATA_DIR: backends.dataDir,
    SHOP_URL: 'http://127.0.0.1:3000',
    // No Stripe on a bench machine: the "test" provider stands in for card payments at checkout.
    PAYMENT_TEST_PROVIDER: 'on',
  };
}

/** Path of the compiled API entry. */
export const API_MAIN = join(ROOT, 'apps/api/dist/main.js');

/** Starts one API process from `apps/api/dist/main.js`; with `cpuProfDir`, under `node --cpu-prof`. */
export async function startApi(
  cleanup: Cleanup,
  backends: ApiBackends,
  port: number,
  options: { cpuProfDir?: string; nodeArgs?: string[] } = {},
): Promise<RunningApi & { stop: () => Promise<void> }> {
  const flags = [...(options.nodeArgs ?? []), ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [])];
  const service = startService('API', process.execPath, [...flags, API_MAIN], { cwd: ROOT, env: childEnv(apiEnv(backends, port)) });
  const stop = cleanup.defer('API', () => service.stop());
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${origin}/api/health`, service);
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, service, stop };
}
