import { createServer, request, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { accessLog } from './access-log.js';
import { createLogger } from './logger.js';

interface Line {
  level: number;
  msg: string;
  req: { id: string; method: string; url: string };
  res: { statusCode: number };
  responseTime: number;
}

/** A server whose every request goes through `accessLog`, the handler answering `status` (never, for 0). */
async function serve(level: string, status: number) {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Line));
      done();
    },
  });
  const logger = createLogger({ level }, stream);
  let count = 0;
  const middleware = accessLog(logger, { requestId: () => `req-${(count += 1)}`, displayUrl: (url) => url.replace(/token=[^&]*/, 'token=x') });
  const server = createServer((req, res) =>
    middleware(req, res, () => {
      // As a router mounted on a path does: the line must show the URL received.
      req.url = '/rewritten';
      if (status === 0) return;
      res.statusCode = status;
      res.end(req.id);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  servers.push(server);
  return { lines, url: `http://127.0.0.1:${port}` };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

// Lines are written once the response has ended: wait for them.
async function lineCount(lines: Line[], count: number): Promise<Line[]> {
  for (let i = 0; i < 100 && lines.length < count; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  return lines;
}

describe('access log', () => {
  it('logs one line per request with its id, method, displayed URL, status and duration; the handler sees the id', async () => {
    const { lines, url } = await serve('info', 201);
    const response = await fetch(`${url}/api/orders/1?token=secret`, { method: 'POST' });
    expect(await response.text()).toBe('req-1');
    const [line] = await lineCount(lines, 1);
    expect(lines).toHaveLength(1);
    expect(line).toMatchObject({ level: 30, msg: 'request completed', req: { id: 'req-1', method: 'POST', url: '/api/orders/1?token=x' }, res: { statusCode: 201 } });
    expect(line!.responseTime).toBeGreaterThanOrEqual(0);
  });

  it('logs expected 4xx (a guest’s 401) as info, 429 as warn and 5xx as error', async () => {
    for (const [status, level] of [[401, 30], [404, 30], [429, 40], [503, 50]] as const) {
      const { lines, url } = await serve('info', status);
      await (await fetch(`${url}/x`)).text();
      expect((await lineCount(lines, 1)).map((line) => [line.level, line.res.statusCode])).toEqual([[level, status]]);
    }
  });

  it('at level warn writes nothing for a success or an expected 401', async () => {
    for (const status of [200, 401]) {
      const { lines, url } = await serve('warn', status);
      await (await fetch(`${url}/x`)).text();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(lines).toEqual([]);
    }
  });

  it('logs a request the client abandoned before the answer as an error, once', async () => {
    const { lines, url } = await serve('info', 0);
    const client = request(`${url}/slow`);
    client.on('error', () => undefined);
    client.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.destroy();
    const logged = await lineCount(lines, 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logged.map((line) => [line.level, line.msg, line.req.url])).toEqual([[50, 'request aborted', '/slow']]);
  });
});
