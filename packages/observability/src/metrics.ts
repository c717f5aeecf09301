import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the pool gauges read; a pg.Pool has these three counters. */
export interface PoolStats {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/** Outbox rows waiting to be sent and rows that exhausted their attempts. */
export interface OutboxCounts {
  pending: number;
  failed: number;
  /** Age of the oldest message still waiting, in seconds (0 when none waits). */
  oldestPendingSeconds?: number;
}

/** Why a checkout failed: a closed set, so the label never grows with user input. */
export const CHECKOUT_FAILURE_REASONS = ['out_of_stock', 'payment_declined', 'validation', 'cart_empty', 'discount_invalid', 'other'] as const;
export type CheckoutFailureReason = (typeof CHECKOUT_FAILURE_REASONS)[number];

/** Why an unpaid order was cancelled. */
export const CANCEL_REASONS = ['expired', 'payment_failed'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/** Where the scrape-time gauges come from; a gauge whose source is absent is not registered at all. */
export interface MetricsSources {
  /** The PostgreSQL pool (pg.Pool): pg_pool_* gauges. */
  pool?: PoolStats;
  /** Resolves when Redis answers a PING: redis_up is 1, else 0. */
  pingRedis?: () => Promise<unknown>;
  /** Counts outbox rows (one query per scrape): outbox_messages{status="pending"|"failed"}. */
  countOutbox?: () => Promise<OutboxCounts>;
  /** Longest a scrape waits for pingRedis or countOutbox. Default 2 s. */
  collectTimeoutMs?: number;
  /** Told when pingRedis or countOutbox fails or times out (outbox_messages is then left out of that scrape). */
  onCollectError?: (source: 'redis' | 'outbox', error: unknown) => void;
}

const UNMATCHED = 'unmatched';

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/**
 * Builds a Prometheus registry of its own (never prom-client's global one, so two can coexist) with Node's
 * default process metrics, the HTTP duration histogram, the business counters and, for each source given,
 * its scrape-time gauges.
 */
export function createMetrics(sources: MetricsSources = {}) {
  const registry = new Registry();
  const registers = [registry];
  const timeoutMs = sources.collectTimeoutMs ?? 2_000;
  collectDefaultMetrics({ register: registry });

  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration, by method, Express route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  const pool = sources.pool;
  if (pool) {
    new Gauge({
      name: 'pg_pool_total_connections',
      help: 'PostgreSQL connections open in the pool (idle or checked out)',
      registers,
      collect() {
        this.set(pool.totalCount);
      },
    });
    new Gauge({
      name: 'pg_pool_idle_connections',
      help: 'PostgreSQL connections idle in the pool',
      registers,
      collect() {
        this.set(pool.idleCount);
      },
    });
    new Gauge({
      name: 'pg_pool_waiting_clients',
      help: 'Queries waiting for a free PostgreSQL connection',
      registers,
      collect() {
        this.set(pool.waitingCount);
      },
    });
  }

  const pingRedis = sources.pingRedis;
  if (pingRedis) {
    new Gauge({
      name: 'redis_up',
      help: '1 when Redis answered a PING during this scrape, else 0',
      registers,
      async collect() {
        try {
          await within(pingRedis(), timeoutMs);
          this.set(1);
        } catch (error) {
          sources.onCollectError?.('redis', error);
          this.set(0);
        }
      },
    });
  }

  const countOutbox = sources.countOutbox;
  if (countOutbox) {
    // Both outbox gauges are collected concurrently at each scrape: they share one query.
    let inFlight: Promise<OutboxCounts> | undefined;
    const readOutbox = () =>
      (inFlight ??= within(countOutbox(), timeoutMs).finally(() => {
        inFlight = undefined;
      }));
    new Gauge({
      name: 'outbox_messages',
      help: 'Outbox emails by status: pending (waiting or retrying) and failed (attempts exhausted)',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        try {
          const counts = await readOutbox();
          this.set({ status: 'pending' }, counts.pending);
          this.set({ status: 'failed' }, counts.failed);
        } catch (error) {
          sources.onCollectError?.('outbox', error);
          // Unknown is not zero: no sample at all, so an absent() alert fires rather than a false all-clear.
          this.reset();
        }
      },
    });
    new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest outbox email still waiting to be sent (0 when none waits)',
      registers,
      async collect() {
        try {
          this.set((await readOutbox()).oldestPendingSeconds ?? 0);
        } catch {
          // Reported once, by outbox_messages.
          this.reset();
        }
      },
    });
  }

  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers });
  const checkoutFailures = counter('checkout_failures_total', 'Failed checkouts by reason (closed set, see CHECKOUT_FAILURE_REASONS)', ['reason']);
  const ordersCancelled = counter('orders_cancelled_total', 'Unpaid orders cancelled, by reason (expired, payment_failed)', ['reason']);
  const catalogCache = counter('catalog_cache_requests_total', 'Catalog reads by cache layer (redis: the shared response cache) and result (hit, miss)', ['layer', 'result']);
  // Every label value of a closed set starts at 0: rate() and the dashboards see a series before the first event.
  for (const reason of CHECKOUT_FAILURE_REASONS) checkoutFailures.labels({ reason }).inc(0);
  for (const reason of CANCEL_REASONS) ordersCancelled.labels({ reason }).inc(0);
  for (const result of ['hit', 'miss']) catalogCache.labels({ layer: 'redis', result }).inc(0);

  return {
    registry,
    httpRequestDuration,
    /** Orders committed by checkout (replays not counted). */
    ordersCreated: counter('orders_created_total', 'Orders placed (committed by checkout)'),
    /** Orders whose payment succeeded. */
    ordersPaid: counter('orders_paid_total', 'Orders paid'),
    /** Unpaid orders cancelled; `reason` is one of CANCEL_REASONS. */
    ordersCancelled,
    /** Total (incl. VAT) of paid orders, in euro cents. */
    revenueCents: counter('revenue_cents_total', 'Revenue of paid orders, in euro cents incl. VAT'),
    /** Checkouts that ended in an error; `reason` is one of CHECKOUT_FAILURE_REASONS, never free text. */
    checkoutFailures,
    /** Successful "add to cart" requests. */
    cartAdds: counter('cart_adds_total', 'Items added to a cart'),
    /** Sign-ins refused for a wrong e-mail or password. */
    loginFailures: counter('login_failures_total', 'Sign-ins refused (wrong e-mail or password)'),
    /** Requests refused by a rate limit; `route` is the route template. */
    rateLimitRejections: counter('rate_limit_rejections_total', 'Requests refused by a rate limit (429), by route template', ['route']),
    /** Catalog reads by layer (memory, redis) and result (hit, miss). */
    catalogCache,
    /** Emails handed to SMTP by the outbox worker. */
    emailsSent: counter('emails_sent_total', 'Emails accepted by the SMTP server'),
    /** Emails that failed for good (refused, or out of attempts): the outbox's onFailed. */
    emailsFailed: counter('emails_failed_total', 'Emails that failed for good (refused or out of attempts)'),
    /** Unix time of the last successful pass of the order-expiry job (set by the process running it). */
    expiryJobLastSuccess: new Gauge({
      name: 'expire_orders_last_success_timestamp_seconds',
      help: 'Unix time of the last successful run of the unpaid-order expiry job',
      registers,
    }),
    /** The Prometheus text exposition of every metric (runs the scrape-time collectors). */
    render: (): Promise<string> => registry.metrics(),
    contentType: registry.contentType,
  };
}

/** The process's metrics, as built by createMetrics. */
export type Metrics = ReturnType<typeof createMetrics>;

/** The parts of an Express request the middleware reads. */
interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

function routeLabel(baseUrl: string | undefined, route: { path?: unknown } | undefined): string | undefined {
  const path = route?.path;
  if (path === undefined) return undefined;
  const template = Array.isArray(path) ? path.map(String).join('|') : String(path);
  const base = baseUrl ?? '';
  if (template === '/' && base) return base;
  return base + template;
}

/** One finished request, as httpMetrics labels it. */
export interface ObservedResponse {
  method: string;
  /** The route template, or `unmatched`. */
  route: string;
  /** The status code sent, or 499 when the client left first. */
  status: number;
  res: ServerResponse;
}

/** Options of httpMetrics. */
export interface HttpMetricsOptions {
  /** Called once per request after it is observed: for counters keyed by route and status. */
  onResponse?: (response: ObservedResponse) => void;
}

/**
 * Express middleware observing http_request_duration_seconds when each response finishes, labelled with the
 * route TEMPLATE (`/api/products/:slug`, mount path included), never the raw path: requests no route matched
 * (404s, responses ended by middleware) are labelled `unmatched`, and clients gone before the response get
 * status 499. Mount it first, before any router.
 */
export function httpMetrics(metrics: Metrics, options: HttpMetricsOptions = {}) {
  return function observeHttpDuration(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    const started = process.hrtime.bigint();
    const routed = req as RoutedRequest;
    // Read the template when Express matches the route: req.baseUrl is the router's mount path at that moment,
    // but is already restored to the parent's when an error travels up to the app's error handler.
    let matched: { path?: unknown } | undefined;
    let template: string | undefined;
    Object.defineProperty(routed, 'route', {
      configurable: true,
      enumerable: true,
      get: () => matched,
      set(value: { path?: unknown } | undefined) {
        matched = value;
        template = routeLabel(routed.baseUrl, value);
      },
    });
    let observed = false;
    const observe = (finished: boolean) => {
      if (observed) return;
      observed = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = finished ? res.statusCode : 499;
      const method = req.method ?? 'UNKNOWN';
      const route = template ?? UNMATCHED;
      metrics.httpRequestDuration.observe({ method, route, status: String(status) }, seconds);
      options.onResponse?.({ method, route, status, res });
    };
    res.once('finish', () => observe(true));
    // 'close' without 'finish': the client went away before the response was sent.
    res.once('close', () => observe(false));
    next();
  };
}

/** Where the metrics endpoint listens: one port per PM2 instance, on loopback. */
export interface MetricsServerOptions {
  /** Loopback only: Prometheus scrapes from the same host. Default 127.0.0.1. */
  host?: string;
  /** METRICS_PORT; instance N listens on basePort + N. */
  basePort: number;
  /** PM2's NODE_APP_INSTANCE as a number. Default 0. */
  instance?: number;
}

/** A running metrics endpoint. */
export interface MetricsServer {
  port: number;
  url: string;
  /** Stops listening and drops open scrape connections. */
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` on host:(basePort + instance) with plain node:http, separate from the public app (not
 * behind Nginx). Rejects if the port is taken.
 */
export async function startMetricsServer(metrics: Metrics, options: MetricsServerOptions): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.basePort + (options.instance ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`invalid metrics port ${port}`);

  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?', 1)[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    metrics.render().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': metrics.contentType });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${(error as Error).message}\n`);
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    port: actualPort,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
