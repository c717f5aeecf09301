import { once } from 'node:events';
import { createTestDatabase, flushRedisDb, freePort, type TestDatabase } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApiProcess } from './testing.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(inject('testDb'));
});
afterAll(async () => {
  await database?.drop();
  await flushRedisDb(`${inject('redisUrl')}/6`);
});

describe('process entry (main.ts)', () => {
  it('tells PM2 it is ready, finishes in-flight requests on SIGTERM and exits 0', async () => {
    const port = await freePort();
    const api = await startApiProcess({
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      DATABASE_URL: database.pooledUrl,
      DATABASE_DIRECT_URL: database.directUrl,
      REDIS_URL: `${inject('redisUrl')}/6`,
      REDIS_CACHE_URL: `${inject('redisUrl')}/7`,
    });
    expect(await api.ready).toBe('ready');

    const inFlight = Array.from({ length: 20 }, (_, i) =>
      fetch(`http://127.0.0.1:${port}/api/products?limit=${i + 1}`).then(async (res) => ({ status: res.status, body: await res.json() })),
    );
    // Let the requests reach the server before the signal.
    await new Promise((resolve) => setTimeout(resolve, 20));
    api.child.kill('SIGTERM');
    const results = await Promise.allSettled(inFlight);
    const [code] = await once(api.child, 'exit');

    expect(code).toBe(0);
    const answered = results.filter((r) => r.status === 'fulfilled');
    expect(answered.length).toBeGreaterThan(0);
    for (const result of answered) expect(result.value.status).toBe(200);
    expect(api.output()).toContain('arrêt terminé');
    // No OTEL_EXPORTER_OTLP_ENDPOINT: tracing is off, and says so exactly once.
    expect(api.output().match(/OpenTelemetry désactivé/g)).toHaveLength(1);
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  });

  it('refuses to start in production without DATABASE_URL, REDIS_URL and REDIS_CACHE_URL, naming each', async () => {
    const api = await startApiProcess({ PORT: String(await freePort()) });
    await expect(api.ready).rejects.toThrow(/exited 1/);
    expect(api.output()).toMatch(/DATABASE_URL: requis en production/);
    expect(api.output()).toMatch(/REDIS_URL: requis en production/);
    expect(api.output()).toMatch(/REDIS_CACHE_URL: requis en production/);
  });
});
