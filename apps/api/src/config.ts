import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LimitsEnv } from './limits.js';
import { isSecretKey } from './modules/admin/secret-box.js';

/** Where uploaded product images go when UPLOADS_DIR is unset (development). */
export const DEFAULT_UPLOADS_DIR = fileURLToPath(new URL('../../../.data/uploads', import.meta.url));

/**
 * The key of admins' TOTP secrets outside production (development, tests). Public on purpose: it
 * protects no real shop, and production refuses to start without its own TOTP_ENCRYPTION_KEY.
 */
export const DEV_TOTP_ENCRYPTION_KEY = 'k-6118RFxl9fORvZUN5auEdDdL1wCwK8CknONBwD3hg';

const port = z.coerce.number().int().min(1).max(65_535);
const optionalUrl = (protocols: string[]) => z.url({ protocol: new RegExp(`^(${protocols.join('|')})$`) }).optional();

const Env = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: port.default(3001),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
    DATABASE_DIRECT_URL: optionalUrl(['postgres', 'postgresql']),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    // Together, how long a request may wait for the database before answering 503 (a frozen server).
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
    DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(1000),
    // State (sessions, carts, rate limits): noeviction + AOF. Cache (response bodies): allkeys-lru.
    REDIS_URL: optionalUrl(['redis', 'rediss']),
    REDIS_CACHE_URL: optionalUrl(['redis', 'rediss']),
    // Sharing the state Redis (development), the response cache keeps at most this many bodies.
    REDIS_CACHE_MAX_ENTRIES: z.coerce.number().int().min(10).max(1_000_000).default(2000),
    DATA_DIR: z.string().default(fileURLToPath(new URL('../../../.data', import.meta.url))),
    EMBEDDED_DB_PORT: port.default(54329),
    TRUST_PROXY: z.string().default('loopback'),
    SHOP_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3000').transform((url) => url.replace(/\/+$/, '')),
    // Origins, besides SHOP_URL's and the API's own, whose pages may send cookie-carrying writes.
    CSRF_ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((list) => list.split(',').map((item) => item.trim()).filter(Boolean))
      .pipe(z.array(z.url({ protocol: /^https?$/ }).refine((url) => new URL(url).origin === url, 'une origine : schéma://hôte[:port], sans chemin ni / final'))),
    // New guest sessions (started on a guest's first cart write) per client IP per 10 minutes.
    GUEST_SESSIONS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(60),
    SMTP_URL: optionalUrl(['smtp', 'smtps']),
    MAIL_FROM: z.string().min(3).default('GirlyCrea <bonjour@girlycrea.fr>'),
    // Each process serves /metrics on 127.0.0.1:(METRICS_PORT + NODE_APP_INSTANCE), one target per PM2 worker.
    METRICS_PORT: port.default(9464),
    NODE_APP_INSTANCE: z.coerce.number().int().min(0).max(64).default(0),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
    STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_[A-Za-z0-9_]+$/, 'clé secrète Stripe (sk_… ou rk_…)').optional(),
    STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/=_]+$/, 'secret de webhook Stripe (whsec_…)').optional(),
    STRIPE_API_BASE: optionalUrl(['http', 'https']),
    PAYMENT_TEST_PROVIDER: z.enum(['on', 'off']).optional(),
    MONDIAL_RELAY_ENSEIGNE: z.string().regex(/^[A-Za-z0-9]{2,10}$/, 'code enseigne Mondial Relay (ex. BDTEST13)').optional(),
    MONDIAL_RELAY_PRIVATE_KEY: z.string().min(4).max(64).optional(),
    MONDIAL_RELAY_API_URL: optionalUrl(['http', 'https']),
    ORDER_PAYMENT_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    EXPIRE_ORDERS_INTERVAL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    REFUND_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    RECONCILE_PAYMENTS_INTERVAL_MS: z.coerce.number().int().min(10_000).max(86_400_000).default(900_000),
    RECONCILE_PAYMENTS_LOOKBACK_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
    // The seller printed on invoices (French legal mentions); invoices are refused until all four are set.
    SELLER_NAME: z.string().trim().min(1).max(120).optional(),
    SELLER_ADDRESS: z.string().trim().min(1).max(300).optional(),
    SELLER_SIRET: z
      .string()
      .transform((siret) => siret.replace(/\s+/g, ''))
      .pipe(z.string().regex(/^\d{14}$/, 'SIRET à 14 chiffres'))
      .optional(),
    // FRxx + SIREN, or the VAT franchise mention (« TVA non applicable, art. 293 B du CGI »).
    SELLER_VAT_NUMBER: z.string().trim().min(1).max(120).optional(),
    // Uploaded product images (resized WebP/AVIF), served at /api/uploads/; on the VPS site.paths.uploads.
    UPLOADS_DIR: z.string().min(1).default(DEFAULT_UPLOADS_DIR),
    // on: this process also runs the outbox worker and periodic jobs (development, a single process);
    // off: they run in their own process (worker-entry.js, PM2's girlycrea-worker).
    JOBS: z.enum(['on', 'off']).default('on'),
    // The storefront's own origin (loopback), told to re-render pages when the catalog changes
    // (POST /revalidate, authorised by REVALIDATE_SECRET, the same value as the storefront's).
    STOREFRONT_INTERNAL_URL: optionalUrl(['http', 'https']).transform((url) => url?.replace(/\/+$/, '')),
    REVALIDATE_SECRET: z.string().min(16, '16 caractères au moins').optional(),
    // AES-256-GCM key of admins' TOTP secrets in the database: 32 random bytes in base64.
    TOTP_ENCRYPTION_KEY: z.string().trim().refine(isSecretKey, '32 octets aléatoires en base64 (openssl rand -base64 32)').optional(),
    // The deployed git commit, reported by /api/health (set by the PM2 ecosystem from the deploy).
    RELEASE: z.string().regex(/^[\w.-]{1,64}$/).optional(),
    ...LimitsEnv,
  })
  .superRefine((env, ctx) => {
    if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_WEBHOOK_SECRET'], message: 'requis avec STRIPE_SECRET_KEY' });
    }
    if (env.STOREFRONT_INTERNAL_URL && !env.REVALIDATE_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['REVALIDATE_SECRET'], message: 'requis avec STOREFRONT_INTERNAL_URL' });
    }
    if (Boolean(env.MONDIAL_RELAY_ENSEIGNE) !== Boolean(env.MONDIAL_RELAY_PRIVATE_KEY)) {
      const missing = env.MONDIAL_RELAY_ENSEIGNE ? 'MONDIAL_RELAY_PRIVATE_KEY' : 'MONDIAL_RELAY_ENSEIGNE';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'MONDIAL_RELAY_ENSEIGNE et MONDIAL_RELAY_PRIVATE_KEY vont ensemble' });
    }
    if (env.NODE_ENV !== 'production') return;
    if (env.PAYMENT_TEST_PROVIDER === 'on') {
      // The test provider marks orders paid without collecting anything.
      ctx.addIssue({ code: 'custom', path: ['PAYMENT_TEST_PROVIDER'], message: 'interdit en production (le paiement de test ne débite rien)' });
    }
    // The response cache in the state Redis would fill it (noeviction) and refuse sessions and carts.
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'REDIS_CACHE_URL'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'requis en production' });
    }
    if (!env.TOTP_ENCRYPTION_KEY) {
      const message = 'requis en production (chiffre les secrets de double authentification) : sur le VPS, npm run infra -- provision le génère ; ailleurs, openssl rand -base64 32';
      ctx.addIssue({ code: 'custom', path: ['TOTP_ENCRYPTION_KEY'], message });
    }
  })
  // Production sends through the local Postfix unless told otherwise; elsewhere no SMTP means capture
  // and the TOTP secrets use the public development key.
  .transform((env) =>
    env.NODE_ENV === 'production'
      ? { ...env, SMTP_URL: env.SMTP_URL ?? 'smtp://127.0.0.1:25', TOTP_ENCRYPTION_KEY: env.TOTP_ENCRYPTION_KEY! }
      : { ...env, TOTP_ENCRYPTION_KEY: env.TOTP_ENCRYPTION_KEY ?? DEV_TOTP_ENCRYPTION_KEY },
  );

/** The API's validated, frozen configuration. */
export type Config = Readonly<z.infer<typeof Env>>;

const ROOT_ENV_FILE = fileURLToPath(new URL('../../../.env', import.meta.url));

/** Loads the repository's `.env` into the environment when present (development convenience). */
export function loadDotEnv(path = ROOT_ENV_FILE): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Parses the environment once; throws naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (as copied from .env.example) means "use the default".
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Configuration invalide :\n${problems}\nVoir .env.example pour chaque variable.`);
  }
  return Object.freeze(parsed.data);
}

/** Loads `.env` and parses the environment; on a bad variable prints the list and exits 1 (process entries only). */
export function loadConfigOrExit(): Config {
  loadDotEnv();
  try {
    return loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
