import { adminQuery, createTestDatabase, type TestDatabase } from '@girlycrea/testkit';
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

describe('a connection lost inside a transaction', () => {
  it('fails the transaction as unavailable, raises no uncaught exception, and the next transaction runs', async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const failed = withTransaction(pool, async (tx) => {
        const { rows } = await query<{ pid: number }>(tx, 'SELECT pg_backend_pid() AS pid');
        // The server side goes away while the transaction waits on something else.
        await adminQuery(database.directUrl, `SELECT pg_terminate_backend(${Number(rows[0]!.pid)})`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await query(tx, 'SELECT 1');
      });
      await expect(failed).rejects.toSatisfy((error) => error instanceof DbError && error.kind === 'unavailable');
    } finally {
      process.off('uncaughtException', record);
    }
    expect(uncaught).toEqual([]);
    expect(await withTransaction(pool, async (tx) => (await query<{ one: number }>(tx, 'SELECT 1 AS one')).rows[0]?.one)).toBe(1);
  });
});
