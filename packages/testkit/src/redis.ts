import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort, serviceProcess, type ServiceProcess } from './net.js';

/** A unique key prefix so concurrent test files never see each other's keys. */
export function uniquePrefix(): string {
  return `gc_test_${randomBytes(6).toString('hex')}:`;
}

/** Deletes every key under `prefix` on the Redis server at `url`. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    await client.quit();
  }
}

/** How many keys under `prefix` match `pattern` (a Redis glob) on the Redis server at `url`. */
export async function countKeys(url: string, prefix: string, pattern = '*'): Promise<number> {
  const client = new Redis(url);
  try {
    let cursor = '0';
    let count = 0;
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}${pattern}`, 'COUNT', 1000);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
    return count;
  } finally {
    await client.quit();
  }
}

/** Empties the Redis database named by `url` (e.g. redis://127.0.0.1:6379/5) used by one spawned process. */
export async function flushRedisDb(url: string): Promise<void> {
  const client = new Redis(url);
  try {
    await client.flushdb();
  } finally {
    await client.quit();
  }
}

/** A throwaway redis-server on a loopback port, to stop and start in fault tests. */
export interface TestRedisServer extends ServiceProcess {
  url: string;
}

/** Starts a private redis-server (no persistence) on a free loopback port. */
export async function startRedisServer(): Promise<TestRedisServer> {
  const port = await freePort();
  const server: TestRedisServer = {
    url: `redis://127.0.0.1:${port}`,
    ...serviceProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], port),
  };
  await server.start();
  return server;
}
