import { createTestDatabase, eventually, flushRedisDb, freePort, type TestDatabase } from '@girlycrea/testkit';
import { createPool, exec, type Pool } from '@girlycrea/db';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@girlycrea/observability/testing';
import { startStripeStandIn, type StripeStandIn } from '@girlycrea/testkit/stripe';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApiProcess, type ApiProcess } from './testing.js';

// The real API process with tracing on, exporting to an in-process OTLP receiver (SigNoz stand-in).
let database: TestDatabase;
let receiver: OtlpReceiver;
let api: ApiProcess;
let base: string;
let metricsUrl: string;
let direct: Pool;
let stripe: StripeStandIn;
// A Redis database of its own: the process uses no key prefix, and this suite flushes it at the end.
const redisUrl = `${inject('redisUrl')}/5`;

beforeAll(async () => {
  database = await createTestDatabase(inject('testDb'));
  direct = createPool({ url: database.directUrl, max: 1 });
  receiver = await startOtlpReceiver();
  // A production process offers no test provider: checkout opens a session on a Stripe stand-in.
  stripe = await startStripeStandIn();
  const port = await freePort();
  const metricsPort = await freePort();
  api = startApiProcess({
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    DATABASE_URL: database.pooledUrl,
    REDIS_URL: redisUrl,
    REDIS_CACHE_URL: redisUrl,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    STRIPE_SECRET_KEY: 'sk_test_traces',
    STRIPE_WEBHOOK_SECRET: 'whsec_traces',
    STRIPE_API_BASE: stripe.url,
  });
  await api.ready;
  base = `http://127.0.0.1:${port}`;
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
});

afterAll(async () => {
  if (api && api.child.exitCode === null) {
    api.child.kill('SIGTERM');
    await once(api.child, 'exit');
  }
  await receiver?.close();
  await stripe?.close();
  await direct?.end();
  await database?.drop();
  await flushRedisDb(redisUrl);
});

/** The spans of the trace whose server span served `path`, once the exporter has sent them. */
async function traceOf(method: string, path: string, expectScopes: string[]): Promise<ReceivedSpan[]> {
  let trace: ReceivedSpan[] = [];
  await eventually(async () => {
    const server = receiver.spans().find((s) => s.kind === 2 && s.attributes['url.path'] === path && s.attributes['http.request.method'] === method);
    trace = server ? receiver.spans().filter((s) => s.traceId === server.traceId) : [];
    return expectScopes.every((scope) => trace.some((s) => s.scope.includes(scope)));
  }, 10_000, 100);
  return trace;
}

const logLinesWith = (traceId: string) =>
  api
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.trace_id === traceId);

describe('tracing the real API', () => {
  it('GET /api/products/:slug is one trace covering the HTTP server, the Express route, pg and Redis; its log line carries the trace id', async () => {
    const { rows } = await direct.query<{ slug: string }>("SELECT slug FROM products WHERE status = 'active' LIMIT 1");
    const path = `/api/products/${rows[0]!.slug}`;
    expect((await fetch(`${base}${path}`)).status).toBe(200);

    const trace = await traceOf('GET', path, ['instrumentation-http', 'instrumentation-express', 'instrumentation-pg', 'instrumentation-ioredis']);
    expect(new Set(trace.map((s) => s.traceId)).size).toBe(1);
    expect(trace.some((s) => s.scope.includes('express') && String(s.attributes['http.route'] ?? s.name).includes('/api/products/:slug'))).toBe(true);
    // Named after the path taken (by default a router after its first route, "/health", and a handler without its route).
    const routers = trace.filter((s) => s.name.startsWith('router - ')).map((s) => s.name);
    expect(routers.length).toBeGreaterThan(0);
    expect(new Set(routers)).toEqual(new Set(['router - /api']));
    expect(trace.map((s) => s.name)).toContain('request handler - /api/products/:slug');
    expect(trace[0]!.resource['service.name']).toBe('girlycrea-api');
    const lines = logLinesWith(trace[0]!.traceId);
    expect(lines.some((line) => (line.req as { url?: string } | undefined)?.url === path)).toBe(true);
  });

  it('a checkout is one trace from the HTTP request through its SQL transaction and Redis', async () => {
    const cookieJar: string[] = [];
    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', Cookie: cookieJar.join('; '), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      for (const cookie of res.headers.getSetCookie()) cookieJar.splice(0, cookieJar.length, cookie.split(';')[0]!);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const csrf = (await call('GET', '/api/csrf')).body.token as string;
    const { rows } = await direct.query<{ id: string }>(
      "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE v.stock > 2 AND p.status = 'active' AND v.status = 'active' LIMIT 1",
    );
    expect((await call('POST', '/api/cart/items', { variantId: rows[0]!.id, quantity: 1 }, { 'X-CSRF-Token': csrf })).status).toBe(200);
    const methods = (await call('GET', '/api/shipping-methods')).body as unknown as { id: string }[];
    const checkout = await call(
      'POST',
      '/api/checkout',
      {
        email: 'trace@exemple.fr',
        shippingAddress: { name: 'Trace Test', line1: '1 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR', phone: '06 12 34 56 78' },
        shippingMethodId: methods[0]!.id,
        paymentProvider: 'stripe',
      },
      { 'X-CSRF-Token': csrf, 'Idempotency-Key': `trace-${Date.now()}` },
    );
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);

    const trace = await traceOf('POST', '/api/checkout', ['instrumentation-http', 'instrumentation-express', 'instrumentation-pg', 'instrumentation-ioredis']);
    expect(new Set(trace.map((s) => s.traceId)).size).toBe(1);
    const statements = trace.filter((s) => s.scope.includes('pg')).map((s) => String(s.attributes['db.query.text'] ?? s.name));
    expect(statements.some((text) => /INSERT INTO orders/.test(text))).toBe(true);
    expect(logLinesWith(trace[0]!.traceId).length).toBeGreaterThan(0);
  });

  it('an unexpected error is a span event `exception` with type, message and stack, and a 500 JSON error without the stack', async () => {
    // Schema drift the code does not expect: the media table is gone.
    await exec(direct, 'DROP TABLE media');
    const res = await fetch(`${base}/api/media/products/absente.svg`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string; stack?: string } };
    expect(body.error.code).toBe('internal_error');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);

    const trace = await traceOf('GET', '/api/media/products/absente.svg', ['instrumentation-http']);
    // pg marks its own failed query span; the request itself must carry exactly one exception.
    const events = trace.filter((s) => !s.scope.includes('pg')).flatMap((s) => s.events).filter((e) => e.name === 'exception');
    expect(events).toHaveLength(1);
    expect(events[0]!.attributes['exception.type']).toBeTruthy();
    expect(String(events[0]!.attributes['exception.message'])).toMatch(/media/);
    expect(String(events[0]!.attributes['exception.stacktrace'])).toMatch(/\n\s+at /);
  });

  it('serves Prometheus metrics on its loopback port, labelling requests by route template', async () => {
    const text = await (await fetch(metricsUrl)).text();
    expect(text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/products\/:slug"[^}]*\} \d+/);
    expect(text).not.toMatch(/route="\/api\/products\/[a-z0-9-]+-[a-z0-9-]+"/);
    expect(text).toMatch(/^pg_pool_total_connections \d+/m);
    expect(text).toMatch(/^redis_up 1$/m);
    expect(text).toMatch(/^outbox_messages\{status="pending"\} \d+/m);
  });
});

