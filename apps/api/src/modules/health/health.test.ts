import { createRedis } from '@girlycrea/cache';
import { createPool } from '@girlycrea/db';
import { eventually, startPgBouncer, startRedisServer, type TestPgBouncer, type TestRedisServer } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing.js';

// This suite owns a PgBouncer and a redis-server of its own, so stopping them hurts nobody else.
let bouncer: TestPgBouncer;
let redis: TestRedisServer;
let t: TestApp;

beforeAll(async () => {
  bouncer = await startPgBouncer({ postgresPort: Number(new URL(inject('testDb').adminUrl).port || 5432) });
  redis = await startRedisServer();
  t = await createTestApp({
    db: (database) => createPool({ url: `postgres://postgres@127.0.0.1:${bouncer.port}/${database.name}`, max: 4 }),
    cache: () => createRedis({ url: redis.url }),
  });
});
afterAll(async () => {
  await t?.close();
  await bouncer?.dispose();
  await redis?.stop();
});

async function health() {
  const started = Date.now();
  const res = await t.http.get('/api/health');
  return { status: res.status, body: res.body, ms: Date.now() - started };
}

describe('GET /api/health', () => {
  it('answers 200 with every check ok when PostgreSQL and Redis answer', async () => {
    await eventually(async () => (await health()).status === 200);
    expect((await health()).body).toEqual({ status: 'ok', checks: { db: 'ok', redis: 'ok' }, release: 'dev' });
  });

  it('answers 503 naming the database within 2 s when PostgreSQL is unreachable, then 200 again once it is back', async () => {
    await bouncer.stop();
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.checks).toEqual({ db: 'down', redis: 'ok' });
    expect(down.ms).toBeLessThan(2000);
    // Catalog reads that need the database fail fast with a clear 503, never a hang or a 500.
    const read = await t.http.get('/api/products?q=plusdecache');
    expect(read.status).toBe(503);
    expect(read.body.error.code).toBe('service_unavailable');

    await bouncer.start();
    await eventually(async () => (await health()).status === 200);
  });

  it('answers 503 naming Redis within 2 s when Redis is unreachable, then 200 again once it is back', async () => {
    await redis.stop();
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.checks).toEqual({ db: 'ok', redis: 'down' });
    expect(down.ms).toBeLessThan(2000);
    // The catalog keeps working from PostgreSQL while its cache is away.
    expect((await t.http.get('/api/products?limit=2')).status).toBe(200);

    await redis.start();
    await eventually(async () => (await health()).status === 200);
  });
});
