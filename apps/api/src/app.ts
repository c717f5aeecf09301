import type { RequestListener } from 'node:http';
import express, { type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { CacheStore, ResponseCache, SessionStore } from '@girlycrea/cache';
import type { Pool } from '@girlycrea/db';
import type { Logger } from '@girlycrea/observability/logger';
import { httpMetrics, type Metrics } from '@girlycrea/observability/metrics';
import { DEFAULT_UPLOADS_DIR, DEV_TOTP_ENCRYPTION_KEY, type Config } from './config.js';
import { limitsFrom, type Limits } from './limits.js';
import { countRequestOutcome } from './http/business-metrics.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { buildOpenApiDocument } from './http/openapi.js';
import { requestContext } from './http/request-context.js';
import { registerCatalogOpenApi } from './modules/catalog/openapi.js';
import { catalogRoutes } from './modules/catalog/routes.js';
import { registerAccountsOpenApi } from './modules/accounts/openapi.js';
import type { LoginLimits } from './modules/accounts/login-throttle.js';
import { accountRoutes } from './modules/accounts/routes.js';
import { ensureSession, loadSession } from './http/session.js';
import { requireCsrfToken } from './http/csrf.js';
import { limit } from './http/rate-limit.js';
import { healthRoutes, registerHealthOpenApi } from './modules/health/routes.js';
import { devMailRoutes } from './modules/dev-mail/routes.js';
import { registerCartOpenApi } from './modules/cart/openapi.js';
import { cartRoutes } from './modules/cart/routes.js';
import { mergeGuestCart } from './modules/cart/service.js';
import { registerCheckoutOpenApi } from './modules/checkout/openapi.js';
import { registerDeliveryOpenApi } from './modules/delivery/openapi.js';
import { deliveryRoutes } from './modules/delivery/routes.js';
import { createRelayPointFinder, type DeliveryConfig } from './modules/delivery/service.js';
import { checkoutRoutes } from './modules/checkout/routes.js';
import { registerOrdersOpenApi } from './modules/orders/openapi.js';
import { orderRoutes } from './modules/orders/routes.js';
import { registerPaymentsOpenApi } from './modules/payments/openapi.js';
import { createPaymentProviders, type PaymentConfig } from './modules/payments/providers.js';
import { paymentRoutes, stripeWebhookRoutes } from './modules/payments/routes.js';
import { registerAdminOpenApi } from './modules/admin/openapi.js';
import { adminRoutes, secondFactorRoutes } from './modules/admin/routes.js';
import { registerAdminCatalogOpenApi } from './modules/admin/catalog-openapi.js';
import { registerAdminShopOpenApi } from './modules/admin/shop-admin-routes.js';
import { registerAdminOffersOpenApi } from './modules/admin/offers-routes.js';
import { sellerFrom, type SellerConfig } from './modules/admin/invoices.js';
import { createCatalogChangeHook, type StorefrontConfig } from './modules/admin/storefront.js';
import { createSecretBox } from './modules/admin/secret-box.js';

/**
 * The shop's own origin; outside production also its loopback twin, since the dev storefront
 * answers at both localhost and 127.0.0.1 (Next's allowedDevOrigins).
 */
function shopOrigins(shopUrl: string, nodeEnv: Config['NODE_ENV']): string[] {
  const url = new URL(shopUrl);
  const twins: Record<string, string> = { localhost: '127.0.0.1', '127.0.0.1': 'localhost' };
  const twin = twins[url.hostname];
  if (nodeEnv === 'production' || !twin) return [url.origin];
  return [url.origin, `${url.protocol}//${twin}${url.port ? `:${url.port}` : ''}`];
}

/** Everything the API needs, built by main.ts (or a test) and passed in. */
export interface AppDeps {
  config: Pick<Config, 'TRUST_PROXY' | 'NODE_ENV' | 'SHOP_URL'> &
    PaymentConfig &
    DeliveryConfig &
    Partial<Pick<Config, 'ORDER_PAYMENT_TTL_MINUTES' | 'RELEASE' | 'CSRF_ALLOWED_ORIGINS' | 'GUEST_SESSIONS_PER_IP' | 'UPLOADS_DIR' | 'TOTP_ENCRYPTION_KEY'>> &
    Partial<Limits> &
    SellerConfig &
    StorefrontConfig;
  db: Pool;
  cache: CacheStore;
  responseCache: ResponseCache;
  sessions: SessionStore;
  logger: Logger;
  /** Prometheus metrics of this process; requests are observed by route template. */
  metrics: Metrics;
  /** Development without SMTP: where captured e-mails are, served at /api/dev/mail. */
  devMailDir?: string;
  /** Sign-in throttling; DEFAULT_LOGIN_LIMITS when left out. */
  loginLimits?: LoginLimits;
}

/** The headers a header-only middleware (helmet) sets, captured once: they never vary by request. */
function headersSetBy(middleware: RequestHandler): [string, string][] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  middleware({} as Request, recorder as unknown as Response, () => undefined);
  return [...headers];
}

/** Builds the API without listening; the only place where routes and middleware are wired. */
export function createApp(deps: AppDeps): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  // Catalog responses carry their own precomputed ETag.
  app.set('etag', false);
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.set('query parser', 'simple');

  const securityHeaders = helmet({
    // The API serves JSON and images only: nothing may load or frame it.
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-site' },
    // Headers that only mean something for HTML documents (the storefront sends its own).
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  // Helmet's headers never vary by request: set the captured list instead of running its ten middlewares.
  const staticHeaders = headersSetBy(securityHeaders);
  app.use(httpMetrics(deps.metrics, { onResponse: countRequestOutcome(deps.metrics) }));
  app.use(requestContext(deps.logger));
  app.use((_req, res, next) => {
    for (const [name, value] of staticHeaders) res.setHeader(name, value);
    next();
  });
  const shop = {
    db: deps.db,
    cache: deps.cache,
    shopUrl: deps.config.SHOP_URL,
    providers: createPaymentProviders(deps.config),
    relayPoints: createRelayPointFinder(deps.config),
    orderTtlMinutes: deps.config.ORDER_PAYMENT_TTL_MINUTES ?? 30,
    limits: limitsFrom(deps.config),
    metrics: deps.metrics,
  };
  // Stripe signs the raw bytes: this route reads its own body, so it sits before express.json (and
  // under its exact path, so other requests skip it at one comparison).
  app.use('/api/payments/stripe/webhook', stripeWebhookRoutes(shop));
  app.use(express.json({ limit: '100kb' }));
  const cookies = { secure: deps.config.NODE_ENV === 'production' };
  const sessionLoader = loadSession(deps.sessions, cookies);
  const csrf = requireCsrfToken({ allowedOrigins: [...shopOrigins(deps.config.SHOP_URL, deps.config.NODE_ENV), ...(deps.config.CSRF_ALLOWED_ORIGINS ?? [])] });
  // Guest sessions are stored on the first write that needs one (cart, checkout), at most so many per client.
  const guestSessionLimit = limit(deps.cache, {
    name: 'guest-session-ip',
    limit: deps.config.GUEST_SESSIONS_PER_IP ?? 60,
    windowMs: 10 * 60_000,
    message: (seconds) => `Trop de nouvelles sessions depuis votre connexion : réessayez dans ${seconds} s.`,
  });
  const sessionForWrites = ensureSession(deps.sessions, guestSessionLimit, deps.logger);
  // The cart is the busiest write: under its own prefix, right here, it is matched before any other module.
  app.use('/api/cart', sessionLoader, csrf, sessionForWrites, cartRoutes(shop));

  const openApi = buildOpenApiDocument([
    registerHealthOpenApi,
    registerCatalogOpenApi,
    registerAccountsOpenApi,
    registerCartOpenApi,
    registerCheckoutOpenApi,
    registerDeliveryOpenApi,
    registerOrdersOpenApi,
    registerPaymentsOpenApi,
    registerAdminOpenApi,
    registerAdminCatalogOpenApi,
    registerAdminShopOpenApi,
    registerAdminOffersOpenApi,
  ]);
  app.get('/api/openapi.json', (_req, res) => {
    res.type('application/json').send(openApi);
  });
  const uploadsDir = deps.config.UPLOADS_DIR ?? DEFAULT_UPLOADS_DIR;
  // Uploaded images: each file name holds a fresh id, so a URL's content never changes.
  app.use('/api/uploads', express.static(uploadsDir, { immutable: true, maxAge: '365d', index: false }));
  app.use('/api', healthRoutes({ ...deps, release: deps.config.RELEASE }));
  // The catalog is public and the hottest path: it never touches the session store.
  app.use('/api', catalogRoutes(deps));

  app.use('/api', sessionLoader, csrf);
  app.use('/api/checkout', sessionForWrites);
  // At sign-in the guest cart (keyed by the old session id) merges into the customer's; a failed
  // merge must not fail the sign-in itself.
  const onSignIn = (previousSessionId: string, userId: string) =>
    mergeGuestCart(shop, previousSessionId, userId).catch((error: unknown) => deps.logger.warn({ err: error }, 'fusion du panier invité impossible'));
  // Checkout before the account routes: it then skips their matching.
  app.use('/api', checkoutRoutes(shop), deliveryRoutes(shop), accountRoutes({ ...deps, shopUrl: deps.config.SHOP_URL, cookies, onSignIn }));
  app.use('/api', orderRoutes(shop), paymentRoutes(shop));
  const admin = {
    ...shop,
    sessions: deps.sessions,
    cookies,
    seller: sellerFrom(deps.config),
    uploadsDir,
    catalogChanged: createCatalogChangeHook(deps),
    // loadConfig always sets the key (required in production); tests that build a partial config get the development one.
    secretBox: createSecretBox(deps.config.TOTP_ENCRYPTION_KEY ?? DEV_TOTP_ENCRYPTION_KEY),
  };
  app.use('/api/auth/totp', secondFactorRoutes(admin));
  app.use('/api/admin', adminRoutes(admin));

  if (deps.devMailDir) app.use('/api', devMailRoutes(deps.devMailDir));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
