import { createTestDatabase, type TestDatabase } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, DbError, query, withTransaction, type Pool } from './index.js';

let database: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  database = await createTestDatabase(inject('testDb'));
  // Through PgBouncer, as the API connects.
  pool = createPool({ url: database.pooledUrl, max: 2, queryTimeoutMs: 300 });
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('time limits of the pool', () => {
  it('a query without an answer within queryTimeoutMs fails as unavailable, and the pool serves the next query', async () => {
    await expect(query(pool, 'SELECT pg_sleep(2)')).rejects.toSatisfy((error) => error instanceof DbError && error.kind === 'unavailable');
    expect((await query<{ one: number }>(pool, 'SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('a transaction whose query times out fails as unavailable, and the next transaction runs on a sound connection', async () => {
    await expect(withTransaction(pool, (tx) => query(tx, 'SELECT pg_sleep(2)'))).rejects.toSatisfy((error) => error instanceof DbError && error.kind === 'unavailable');
    expect(await withTransaction(pool, async (tx) => (await query<{ one: number }>(tx, 'SELECT 1 AS one')).rows[0]?.one)).toBe(1);
  });
});
