import { createMetrics } from '@girlycrea/observability/metrics';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createTestApp, type TestApp } from '../testing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('request metrics', () => {
  it('label routes by template, so 1,000 distinct slugs and 200 unknown paths add a bounded number of series', async () => {
    const metrics = createMetrics();
    const http = supertest(buildApp({ db: t.db, cache: t.cache, metrics }));
    for (let i = 0; i < 1000; i += 1) await http.get(`/api/products/produit-inconnu-${i}`);
    for (let i = 0; i < 200; i += 1) await http.get(`/api/nulle-part-${i}`);

    const text = await metrics.render();
    const series = text.split('\n').filter((line) => line.startsWith('http_request_duration_seconds_count{'));
    expect(series).toHaveLength(2);
    expect(series.join('\n')).toContain('route="/api/products/:slug"');
    expect(series.join('\n')).toContain('route="unmatched"');
    expect(text).not.toContain('produit-inconnu');
    expect(text).not.toContain('nulle-part');
    const count = (route: string) => Number(series.find((line) => line.includes(`route="${route}"`))!.split(' ').pop());
    expect(count('/api/products/:slug')).toBe(1000);
    expect(count('unmatched')).toBe(200);
  });
});
