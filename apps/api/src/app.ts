import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { CacheStore, ResponseCache, SessionStore } from '@girlycrea/cache';
import type { Pool } from '@girlycrea/db';
import type { Logger } from '@girlycrea/observability/logger';
import { httpMetrics, type Metrics } from '@girlycrea/observability/metrics';
import type { Config } from './config.js';
import { countRequestOutcome } from './http/business-metrics.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { buildOpenApiDocument } from './http/openapi.js';
import { requestContext } from './http/request-context.js';
import { registerCatalogOpenApi } from './modules/catalog/openapi.js';
import { createCatalogFastPath } from './modules/catalog/fast-path.js';
import { catalogRoutes } from './modules/catalog/routes.js';
import { registerAccountsOpenApi } from './modules/accounts/openapi.js';
import { accountRoutes } from './modules/accounts/routes.js';
import { loadSession } from './http/session.js';
import { requireCsrfToken } from './http/csrf.js';
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

/** Everything the API needs, built by main.ts (or a test) and passed in. */
export interface AppDeps {
  config: Pick<Config, 'TRUST_PROXY' | 'NODE_ENV' | 'SHOP_URL'> & PaymentConfig & DeliveryConfig & Partial<Pick<Config, 'ORDER_PAYMENT_TTL_MINUTES' | 'RELEASE'>>;
  db: Pool;
  cache: CacheStore;
  responseCache: ResponseCache;
  sessions: SessionStore;
  logger: Logger;
  /** Prometheus metrics of this process; requests are observed by route template. */
  metrics: Metrics;
  /** Development without SMTP: where captured e-mails are, served at /api/dev/mail. */
  devMailDir?: string;
}

/** The headers a header-only middleware (helmet) sets, captured once so the fast path can send them too. */
function headersSetBy(middleware: RequestHandler): [string, string][] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  middleware({} as Request, recorder as unknown as Response, () => undefined);
  return [...headers];
}

/** The API as a request listener, for `http.createServer` or supertest. */
export type ApiHandler = RequestListener & {
  /** Answers a catalog read from process memory and returns true, or returns false (main.ts runs it before tracing). */
  answerFromMemory(req: IncomingMessage, res: ServerResponse): boolean;
  /** Everything else: the Express routes, for requests `answerFromMemory` declined. */
  routes: RequestListener;
};

/**
 * Builds the API without listening; the only place where routes and middleware are wired. A catalog
 * answer already in process memory is written before Express even sees the request.
 */
export function createApp(deps: AppDeps): ApiHandler {
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
  const fastPath = createCatalogFastPath({ staticHeaders, metrics: deps.metrics });
  deps.responseCache
    .onInvalidate(() => fastPath.clear())
    .catch((error: unknown) => deps.logger.error({ err: error }, 'abonnement aux invalidations du catalogue impossible'));
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
    metrics: deps.metrics,
  };
  // Stripe signs the raw bytes: this route reads its own body, so it sits before express.json (and
  // under its exact path, so other requests skip it at one comparison).
  app.use('/api/payments/stripe/webhook', stripeWebhookRoutes(shop));
  app.use(express.json({ limit: '100kb' }));
  const cookies = { secure: deps.config.NODE_ENV === 'production' };
  const sessionLoader = loadSession(deps.sessions, cookies);
  // The cart is the busiest write: under its own prefix, right here, it is matched before any other module.
  app.use('/api/cart', sessionLoader, requireCsrfToken(), cartRoutes(shop));

  const openApi = buildOpenApiDocument([
    registerHealthOpenApi,
    registerCatalogOpenApi,
    registerAccountsOpenApi,
    registerCartOpenApi,
    registerCheckoutOpenApi,
    registerDeliveryOpenApi,
    registerOrdersOpenApi,
    registerPaymentsOpenApi,
  ]);
  app.get('/api/openapi.json', (_req, res) => {
    res.type('application/json').send(openApi);
  });
  app.use('/api', healthRoutes({ ...deps, release: deps.config.RELEASE }));
  // The catalog is public and the hottest path: it never touches the session store.
  app.use('/api', catalogRoutes({ ...deps, fastPath }));

  app.use('/api', sessionLoader, requireCsrfToken());
  // At sign-in the guest cart (keyed by the old session id) merges into the customer's; a failed
  // merge must not fail the sign-in itself.
  const onSignIn = (previousSessionId: string, userId: string) =>
    mergeGuestCart(shop, previousSessionId, userId).catch((error: unknown) => deps.logger.warn({ err: error }, 'fusion du panier invité impossible'));
  // Checkout before the account routes: it then skips their matching.
  app.use('/api', checkoutRoutes(shop), deliveryRoutes(shop), accountRoutes({ ...deps, shopUrl: deps.config.SHOP_URL, cookies, onSignIn }));
  app.use('/api', orderRoutes(shop), paymentRoutes(shop));

  if (deps.devMailDir) app.use('/api', devMailRoutes(deps.devMailDir));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  const handler: RequestListener = (req, res) => {
    if (!fastPath.serve(req, res)) app(req, res);
  };
  return Object.assign(handler, { answerFromMemory: fastPath.serve, routes: app });
}
