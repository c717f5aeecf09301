import { join } from 'node:path';
import { freePort } from '@girlycrea/testkit';
import type { Cleanup } from '../cleanup.js';
import { ROOT } from '../paths.js';
import { onCpu } from '../pinning.js';
import { childEnv, startService, waitForHttp, type Service } from '../process.js';

/** What every API process of the bench is pointed at. */
export interface ApiBackends {
  /** Through PgBouncer (transaction mode), as in production. */
  databaseUrl: string;
  databaseDirectUrl: string;
  redisUrl: string;
  smtpUrl: string;
  dataDir: string;
  /** The local Stripe stand-in the checkout opens its payment sessions on (the test provider is off in production). */
  stripeApiBase: string;
}

/** A running API reachable at `origin`. */
export interface RunningApi {
  origin: string;
  service: Service;
  /** Where its Prometheus metrics are served (127.0.0.1, METRICS_PORT + NODE_APP_INSTANCE). */
  metricsUrl: string;
  /** Whether GET metricsUrl answered with the HTTP histogram right after start-up. */
  metricsServed: boolean;
  /** The telemetry bootstrap's start-up line ("OpenTelemetry actif : …" or "… désactivé (…)"). */
  telemetryNotice: string;
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
    // One logical database for both roles: the bench measures speed, not eviction.
    REDIS_CACHE_URL: backends.redisUrl,
    SMTP_URL: backends.smtpUrl,
    DATA_DIR: backends.dataDir,
    SHOP_URL: 'http://127.0.0.1:3000',
    // No Stripe on a bench machine: a local stand-in answers the Checkout Session each order opens
    // (the "test" provider cannot run with NODE_ENV=production).
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_WEBHOOK_SECRET: 'whsec_bench',
    STRIPE_API_BASE: backends.stripeApiBase,
    // Production requires a key for the admins' TOTP secrets; the bench signs no admin in.
    TOTP_ENCRYPTION_KEY: Buffer.from('bench-only-totp-key-32-bytes!!!!').toString('base64'),
  };
}

/**
 * Path of the compiled API entry, as production starts it (`npm start`, PM2): it starts OpenTelemetry (a no-op
 * without OTEL_EXPORTER_OTLP_ENDPOINT), then imports dist/main.js.
 */
export const API_ENTRY = join(ROOT, 'apps/api/dist/entry.js');

/** The telemetry bootstrap's start-up line among the process's first output lines. */
function telemetryNoticeOf(service: Service): string {
  for (const line of service.tail().split('\n')) {
    if (!line.includes('OpenTelemetry')) continue;
    try {
      return String((JSON.parse(line) as { msg?: unknown }).msg ?? line);
    } catch {
      return line;
    }
  }
  return 'aucune ligne « OpenTelemetry » au démarrage';
}

async function servesMetrics(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok && (await response.text()).includes('http_request_duration_seconds');
  } catch {
    return false;
  }
}

/**
 * Starts one API process from `apps/api/dist/entry.js`; with `cpuProfDir`, under `node --cpu-prof`. Its metrics
 * server gets a free port of its own, so two single APIs (or another API on the machine) never fight over 9464.
 * `env` adds variables (e.g. OTEL_*); `cpu` pins it (pinning.ts); `tracing` says whether the telemetry line must read "actif" (it throws
 * otherwise) or "désactivé".
 */
export async function startApi(
  cleanup: Cleanup,
  backends: ApiBackends,
  port: number,
  options: { cpuProfDir?: string; nodeArgs?: string[]; env?: Record<string, string>; tracing?: boolean; name?: string; cpu?: number } = {},
): Promise<RunningApi & { stop: () => Promise<void> }> {
  const name = options.name ?? 'API';
  const flags = [...(options.nodeArgs ?? []), ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [])];
  const metricsPort = await freePort();
  const env = childEnv({ ...apiEnv(backends, port), METRICS_PORT: String(metricsPort), NODE_APP_INSTANCE: '0', ...options.env });
  const service = startService(name, ...onCpu(options.cpu, process.execPath, [...flags, API_ENTRY]), { cwd: ROOT, env });
  const stop = cleanup.defer(name, () => service.stop());
  const origin = `http://127.0.0.1:${port}`;
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  try {
    await waitForHttp(`${origin}/api/health`, service);
    const telemetryNotice = telemetryNoticeOf(service);
    const tracing = telemetryNotice.includes('OpenTelemetry actif');
    if (tracing !== (options.tracing ?? false)) {
      throw new Error(`${name} : traçage ${tracing ? 'actif' : 'inactif'} alors qu’il devait être ${tracing ? 'inactif' : 'actif'} — « ${telemetryNotice} »`);
    }
    return { origin, service, stop, metricsUrl, metricsServed: await servesMetrics(metricsUrl), telemetryNotice };
  } catch (error) {
    await stop();
    throw error;
  }
}
