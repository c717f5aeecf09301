import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, freePort, type TestDatabase } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// The real process entry, as PM2 runs it: IPC channel, signals, real sockets.
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(inject('testDb'));
});
afterAll(async () => {
  await database?.drop();
});

async function startApi(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string; ready: Promise<unknown> }> {
  let output = '';
  const child = fork(MAIN, [], {
    execArgv: ['--import', 'tsx', '--conditions=development'],
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  return { child, output: () => output, ready };
}

describe('process entry (main.ts)', () => {
  it('tells PM2 it is ready, finishes in-flight requests on SIGTERM and exits 0', async () => {
    const port = await freePort();
    const api = await startApi({
      PORT: String(port),
      DATABASE_URL: database.pooledUrl,
      DATABASE_DIRECT_URL: database.directUrl,
      REDIS_URL: inject('redisUrl'),
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
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  });

  it('refuses to start in production without DATABASE_URL and REDIS_URL, naming both', async () => {
    const api = await startApi({ PORT: String(await freePort()) });
    await expect(api.ready).rejects.toThrow(/exited 1/);
    expect(api.output()).toMatch(/DATABASE_URL: requis en production/);
    expect(api.output()).toMatch(/REDIS_URL: requis en production/);
  });
});
