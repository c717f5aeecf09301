import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
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
  await flushRedisDb(`${inject('redisUrl')}/7`);
});

/** A raw keep-alive client on one socket: sends a GET, resolves with the whole answer (head and body). */
function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  let waiting: ((answer: string) => void) | undefined;
  const closed = new Promise<string | undefined>((resolve) => {
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    socket.once('close', () => resolve(undefined));
  });
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    received += chunk;
    const head = received.indexOf('\r\n\r\n');
    const length = Number(/content-length: (\d+)/i.exec(received)?.[1] ?? Number.NaN);
    const chunked = /transfer-encoding: chunked/i.test(received.slice(0, head));
    if (head >= 0 && (chunked ? received.endsWith('\r\n0\r\n\r\n') : received.length >= head + 4 + length)) {
      const answer = received;
      received = '';
      waiting?.(answer);
    }
  });
  return {
    /** The error code the socket ended with (ECONNRESET…), or undefined for a clean close. */
    closed,
    get(path: string): Promise<string> {
      return new Promise((resolve, reject) => {
        waiting = resolve;
        // Without Content-Length, a `Connection: close` answer ends where the socket does.
        closed.then((code) => (code === undefined && received.includes('\r\n\r\n') ? resolve(received) : reject(new Error(`socket fermé (${code ?? 'proprement'}) sans réponse`))));
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
      });
    },
  };
}

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

  it('on SIGTERM, requests on kept-alive sockets are answered with Connection: close (no reset) and idle sockets are closed', async () => {
    const port = await freePort();
    const api = startApiProcess({
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      DATABASE_URL: database.pooledUrl,
      REDIS_URL: `${inject('redisUrl')}/6`,
      REDIS_CACHE_URL: `${inject('redisUrl')}/7`,
      SHUTDOWN_TIMEOUT_MS: '3000',
    });
    await api.ready;
    // The attack: sockets opened and kept alive before the signal, reused right after it.
    const reused = Array.from({ length: 6 }, () => rawClient(port));
    const idle = rawClient(port);
    for (const client of [...reused, idle]) expect(await client.get('/api/health')).toMatch(/^HTTP\/1\.1 200[\s\S]*connection: keep-alive/i);
    api.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));

    const answers = await Promise.all(reused.map((client) => client.get('/api/products?limit=1')));
    for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 200[\s\S]*connection: close/i);
    // Closed by the server after its answer, or (idle) by the drain: never reset.
    expect(await Promise.all([...reused, idle].map((client) => client.closed))).toEqual(Array.from({ length: 7 }, () => undefined));
    const [code] = await once(api.child, 'exit');
    expect(code).toBe(0);
  }, 60_000);

  it('refuses to start in production without DATABASE_URL, REDIS_URL and REDIS_CACHE_URL, naming each', async () => {
    const api = await startApiProcess({ PORT: String(await freePort()) });
    await expect(api.ready).rejects.toThrow(/exited 1/);
    expect(api.output()).toMatch(/DATABASE_URL: requis en production/);
    expect(api.output()).toMatch(/REDIS_URL: requis en production/);
    expect(api.output()).toMatch(/REDIS_CACHE_URL: requis en production/);
  });
});
