import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { freePort } from '@girlycrea/testkit';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMetrics, httpMetrics, startMetricsServer, type Metrics } from './metrics.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Family {
  type: string;
  help: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(?:,|$)/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Sample values are what Go's strconv.ParseFloat accepts (Prometheus parses them with it): NaN and Inf in any case. */
function parseValue(text: string): number {
  if (/^nan$/i.test(text)) return NaN;
  const infinity = /^([-+]?)inf(inity)?$/i.exec(text);
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value ${text}`);
  return Number(text);
}

function familyOf(sample: string, families: Map<string, Family>): string | undefined {
  if (families.has(sample)) return sample;
  const base = sample.replace(/_(bucket|sum|count)$/, '');
  return families.get(base)?.type === 'histogram' || families.get(base)?.type === 'summary' ? base : undefined;
}

/**
 * Parses the Prometheus text exposition format (0.0.4) strictly: every line is a HELP, a TYPE or a sample of a
 * family declared before it; label sets are well formed; histogram buckets are cumulative and end with +Inf = count.
 */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      expect(name, line).toMatch(METRIC_NAME);
      const family = families.get(name) ?? { type: 'untyped', help: '', samples: [] };
      if (kind === 'TYPE') {
        expect(TYPES.has(rest), line).toBe(true);
        expect(family.samples, `TYPE after samples: ${line}`).toEqual([]);
        family.type = rest;
      } else family.help = rest;
      families.set(name, family);
      continue;
    }
    expect(line.startsWith('#'), `unexpected comment: ${line}`).toBe(false);
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const [, name, labelText = '', value] = match as unknown as [string, string, string | undefined, string];
    const labels: Record<string, string> = {};
    for (let rest = labelText; rest.length > 0; ) {
      const label = LABEL.exec(rest);
      if (!label) throw new Error(`bad labels in: ${line}`);
      expect(labels, line).not.toHaveProperty(label[1]!);
      labels[label[1]!] = label[2]!;
      rest = rest.slice(label[0].length);
    }
    const family = familyOf(name, families);
    if (!family) throw new Error(`sample of an undeclared family: ${line}`);
    families.get(family)!.samples.push({ name, labels, value: parseValue(value) });
  }
  for (const [name, family] of families) {
    if (family.type !== 'histogram') continue;
    const series = new Map<string, Sample[]>();
    for (const sample of family.samples.filter((s) => s.name === `${name}_bucket`)) {
      const { le, ...rest } = sample.labels;
      expect(le, `${name} bucket without le`).toBeDefined();
      const key = JSON.stringify(rest);
      series.set(key, [...(series.get(key) ?? []), sample]);
    }
    for (const [key, buckets] of series) {
      const counts = buckets.map((b) => b.value);
      expect(counts, `${name}${key} buckets must be cumulative`).toEqual([...counts].sort((a, b) => a - b));
      expect(buckets.at(-1)!.labels.le).toBe('+Inf');
      const count = family.samples.find((s) => s.name === `${name}_count` && JSON.stringify(s.labels) === key);
      expect(count?.value).toBe(buckets.at(-1)!.value);
    }
  }
  return families;
}

function valueOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.get(name) ?? families.get(name.replace(/_(bucket|sum|count)$/, ''));
  return family?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/** The series of the duration histogram, as "METHOD route status" -> count. */
async function durationSeries(metrics: Metrics): Promise<Record<string, number>> {
  const { values } = await metrics.httpRequestDuration.get();
  return Object.fromEntries(
    values
      .filter((v) => v.metricName === 'http_request_duration_seconds_count')
      .map((v) => [`${v.labels.method} ${v.labels.route} ${v.labels.status}`, v.value]),
  );
}

describe('createMetrics', () => {
  it('builds registries of its own, so two coexist without sharing values', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.ordersCreated.inc();
    expect(valueOf(parseExposition(await first.render()), 'orders_created_total')).toBe(1);
    expect(valueOf(parseExposition(await second.render()), 'orders_created_total')).toBe(0);
  });

  it('exposes default process metrics and the business counters in valid exposition format', async () => {
    const metrics = createMetrics();
    metrics.ordersCreated.inc();
    metrics.checkoutFailures.inc({ reason: 'out_of_stock' });
    metrics.checkoutFailures.inc({ reason: 'out_of_stock' });
    metrics.checkoutFailures.inc({ reason: 'payment_declined' });
    metrics.emailsSent.inc(3);
    metrics.emailsFailed.inc();
    const families = parseExposition(await metrics.render());

    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(families.has(name), name).toBe(true);
    }
    expect(families.get('orders_created_total')?.type).toBe('counter');
    expect(valueOf(families, 'orders_created_total')).toBe(1);
    expect(valueOf(families, 'checkout_failures_total', { reason: 'out_of_stock' })).toBe(2);
    expect(valueOf(families, 'checkout_failures_total', { reason: 'payment_declined' })).toBe(1);
    expect(valueOf(families, 'emails_sent_total')).toBe(3);
    expect(valueOf(families, 'emails_failed_total')).toBe(1);
    expect(families.get('http_request_duration_seconds')?.type).toBe('histogram');
    // A gauge without a source is absent, not a misleading zero.
    for (const name of ['pg_pool_total_connections', 'redis_up', 'outbox_messages']) expect(families.has(name), name).toBe(false);
  });
});

describe('httpMetrics', () => {
  const metrics = createMetrics();
  let base: string;
  let server: ReturnType<express.Express['listen']>;

  beforeAll(async () => {
    const app = express();
    app.use(httpMetrics(metrics));
    const api = express.Router();
    api.get('/products/:slug', (req, res) => {
      res.json({ slug: req.params.slug });
    });
    api.get('/boom/:id', async () => {
      throw new Error('boum');
    });
    api.get('/slow', () => {
      // Never answers: the client gives up.
    });
    app.use('/api', api);
    app.use((_req: Request, res: Response) => {
      res.status(404).json({ error: { code: 'not_found' } });
    });
    app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ error: { code: 'internal' } });
    });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps one series per route template, method and status after 1,000 distinct slugs and unknown paths', async () => {
    const paths = [
      ...Array.from({ length: 1000 }, (_, i) => `/api/products/barrette-${i}-${Math.random().toString(36).slice(2)}`),
      ...Array.from({ length: 20 }, (_, i) => `/nimporte/quoi/${i}`),
      '/api/boom/1',
      '/api/boom/2',
    ];
    for (let i = 0; i < paths.length; i += 50) {
      await Promise.all(paths.slice(i, i + 50).map(async (path) => (await fetch(base + path)).arrayBuffer()));
    }

    expect(await durationSeries(metrics)).toEqual({
      'GET /api/products/:slug 200': 1000,
      'GET unmatched 404': 20,
      // The error reached the app-level handler, where req.baseUrl is '' again: still labelled with its template.
      'GET /api/boom/:id 500': 2,
    });
    const text = await metrics.render();
    expect(text).not.toContain('barrette-');
    expect(text).not.toContain('nimporte');
    parseExposition(text);
  });

  it('labels a request the client abandoned with status 499', async () => {
    const abort = new AbortController();
    const pending = fetch(`${base}/api/slow`, { signal: abort.signal }).catch(() => 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 50));
    abort.abort();
    expect(await pending).toBe('aborted');
    await expect.poll(async () => (await durationSeries(metrics))['GET /api/slow 499']).toBe(1);
  });
});

describe('scrape-time gauges', () => {
  it('reads total, idle and waiting from the pg pool it was given', async () => {
    const pool = new pg.Pool({ connectionString: inject('testDb').adminUrl, max: 2 });
    const metrics = createMetrics({ pool });
    const a = await pool.connect();
    const b = await pool.connect();
    const third = pool.connect();
    let families = parseExposition(await metrics.render());
    expect(valueOf(families, 'pg_pool_total_connections')).toBe(2);
    expect(valueOf(families, 'pg_pool_idle_connections')).toBe(0);
    expect(valueOf(families, 'pg_pool_waiting_clients')).toBe(1);

    a.release();
    (await third).release();
    b.release();
    families = parseExposition(await metrics.render());
    expect(valueOf(families, 'pg_pool_total_connections')).toBe(2);
    expect(valueOf(families, 'pg_pool_idle_connections')).toBe(2);
    expect(valueOf(families, 'pg_pool_waiting_clients')).toBe(0);
    await pool.end();
  });

  it('reports redis_up 1 when Redis answers PING, 0 when it fails or is too slow', async () => {
    const redis = new Redis(inject('redisUrl'));
    const up = createMetrics({ pingRedis: () => redis.ping() });
    expect(valueOf(parseExposition(await up.render()), 'redis_up')).toBe(1);
    redis.disconnect();

    const errors: string[] = [];
    const refused = createMetrics({ pingRedis: () => Promise.reject(new Error('ECONNREFUSED')), onCollectError: (source) => errors.push(source) });
    expect(valueOf(parseExposition(await refused.render()), 'redis_up')).toBe(0);
    const hanging = createMetrics({ pingRedis: () => new Promise(() => {}), collectTimeoutMs: 30 });
    expect(valueOf(parseExposition(await hanging.render()), 'redis_up')).toBe(0);
    expect(errors).toEqual(['redis']);
  });

  it('reports outbox messages by status from one query per scrape, and leaves them out when it fails', async () => {
    let calls = 0;
    let failing = false;
    const errors: unknown[] = [];
    const metrics = createMetrics({
      countOutbox: async () => {
        calls += 1;
        if (failing) throw new Error('base indisponible');
        return { pending: 7, failed: 2 };
      },
      onCollectError: (_source, error) => errors.push(error),
    });
    let families = parseExposition(await metrics.render());
    expect(families.get('outbox_messages')?.type).toBe('gauge');
    expect(valueOf(families, 'outbox_messages', { status: 'pending' })).toBe(7);
    expect(valueOf(families, 'outbox_messages', { status: 'failed' })).toBe(2);
    expect(calls).toBe(1);

    failing = true;
    families = parseExposition(await metrics.render());
    expect(calls).toBe(2);
    expect(families.get('outbox_messages')?.samples).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});

describe('startMetricsServer', () => {
  it('serves /metrics on 127.0.0.1 at basePort + instance, nothing else, and frees the port on close', async () => {
    const metrics = createMetrics({ pool: { totalCount: 1, idleCount: 1, waitingCount: 0 } });
    metrics.emailsSent.inc();
    const port = await freePort();
    const server = await startMetricsServer(metrics, { host: '127.0.0.1', basePort: port - 3, instance: 3 });
    expect(server.port).toBe(port);
    expect(server.url).toBe(`http://127.0.0.1:${port}/metrics`);

    const scrape = await fetch(server.url);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parseExposition(await scrape.text());
    expect(valueOf(families, 'emails_sent_total')).toBe(1);
    expect(valueOf(families, 'pg_pool_total_connections')).toBe(1);

    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(405);
    // Each PM2 instance has its own port: a second server on the same one must fail loudly.
    await expect(startMetricsServer(metrics, { basePort: port })).rejects.toThrow(/EADDRINUSE/);

    await server.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });
});
