import { exec } from '@girlycrea/db';
import { eventually } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing.js';
import { createResponseCache } from '@girlycrea/cache';
import { invalidateCatalog } from './service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

// Headers that differ per request or per path taken, by design.
const comparable = (headers: Record<string, string>) => {
  const { date: _date, 'x-request-id': _id, connection: _connection, 'keep-alive': _keepAlive, ...rest } = headers;
  return rest;
};

describe('catalog fast path (in-process answers)', () => {
  it('a repeated request gets the same bytes and headers as the first, without Redis', async () => {
    const url = '/api/products?category=bijoux&sort=price_desc&limit=7';
    const first = await t.http.get(url);
    expect(first.status).toBe(200);
    // Redis emptied behind its back: only the in-process copy can answer the same way.
    await t.cache.del(...(await t.cache.smembers('rc-tag:catalog')), 'rc-tag:catalog');
    const again = await t.http.get(url);
    expect(again.text).toBe(first.text);
    expect(comparable(again.headers)).toEqual(comparable(first.headers));
    expect(again.headers['content-security-policy']).toContain("default-src 'none'");
    expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    const notModified = await t.http.get(url).set('If-None-Match', first.headers.etag!);
    expect(notModified.status).toBe(304);
    expect(notModified.headers.etag).toBe(first.headers.etag);
  });

  it('an invalidation in another API process reaches this one, so a product change shows everywhere', async () => {
    const url = '/api/products?category=colliers&limit=3';
    const before = await t.http.get(url);
    const slug = before.body.items[0].slug as string;
    await exec(t.db, "UPDATE products SET title = 'Collier renommé' WHERE slug = $1", [slug]);
    expect((await t.http.get(url)).body.items[0].title).toBe(before.body.items[0].title);

    // Another response cache on the same Redis, as in another process: only pub/sub links them.
    await invalidateCatalog({ db: t.db, responseCache: createResponseCache(t.cache) });
    await eventually(async () => (await t.http.get(url)).body.items[0]?.title === 'Collier renommé', 5000);
  });

  it('bad and unknown requests never enter it', async () => {
    expect((await t.http.get('/api/products?limit=1000')).status).toBe(400);
    expect((await t.http.get('/api/products?limit=1000')).status).toBe(400);
    expect((await t.http.get('/api/products/inconnu')).status).toBe(404);
    expect((await t.http.get('/api/products/inconnu')).status).toBe(404);
  });
});
