import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

/** A pino destination that keeps every line it is given. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('logger', () => {
  // Context propagation for this file only: the SDK does this in a real process.
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => {
    context.disable();
  });

  it('in a developer’s terminal an access-log line is one compact line, and other entries keep their message', async () => {
    const out = capture();
    const logger = createLogger({ level: 'info', pretty: true }, out.stream);
    logger.info({ req: { id: 'r1', method: 'GET', url: '/api/me' }, res: { statusCode: 401 }, responseTime: 3 }, 'request completed');
    logger.info({ dataDir: '/tmp/x' }, 'base embarquée démarrée');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(out.lines).toHaveLength(2);
    expect(out.lines[0]).toMatch(/INFO.*: GET \/api\/me 401 3 ms$/);
    expect(out.lines[0]).not.toContain('r1');
    expect(out.lines[1]).toContain('base embarquée démarrée');
    expect(out.lines[1]).toContain('/tmp/x');
  });

  it('never writes passwords, tokens, cookies or authorization headers, wherever they sit', () => {
    const out = capture();
    const logger = createLogger({ level: 'info' }, out.stream);
    logger.info(
      {
        password: 'hunter2-a',
        token: 'tok-b',
        user: { email: 'cliente@example.fr', password: 'hunter2-c', newPassword: 'hunter2-d' },
        body: { reset: { password: 'hunter2-e' }, token: 'tok-f', refreshToken: 'tok-g' },
        req: {
          headers: { cookie: 'sid=secret-h', authorization: 'Bearer secret-i', 'x-csrf-token': 'csrf-j', accept: 'application/json' },
        },
        res: { headers: { 'set-cookie': 'sid=secret-k' } },
        headers: { authorization: 'Basic secret-l', cookie: 'sid=secret-m' },
        config: { databaseUrl: 'postgres://u:secret-n@db/x', redisUrl: 'redis://:secret-o@r' },
      },
      'connexion',
    );
    const raw = out.lines.join('\n');
    for (const secret of ['hunter2', 'tok-', 'secret-', 'csrf-j']) expect(raw).not.toContain(secret);
    const [line] = out.parsed();
    // Redacted, not dropped: the fields are still there, so one can see what was sent.
    expect(line).toMatchObject({
      msg: 'connexion',
      password: '[masqué]',
      user: { email: 'cliente@example.fr', password: '[masqué]' },
      req: { headers: { cookie: '[masqué]', authorization: '[masqué]', accept: 'application/json' } },
    });
  });

  it('adds trace_id, span_id and trace_flags of the active span, and nothing outside a span', () => {
    const out = capture();
    const logger = createLogger({ level: 'info' }, out.stream);
    const span = new BasicTracerProvider().getTracer('test').startSpan('request');
    context.with(trace.setSpan(context.active(), span), () => logger.info('dans la requête'));
    logger.info('hors requête');
    span.end();

    const [inside, outside] = out.parsed();
    expect(inside).toMatchObject({
      msg: 'dans la requête',
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
      trace_flags: '01',
    });
    expect(outside).not.toHaveProperty('trace_id');
    expect(outside).not.toHaveProperty('span_id');
  });

  it('keeps trace ids across awaits inside the span', async () => {
    const out = capture();
    const logger = createLogger({ level: 'info' }, out.stream);
    const tracer = new BasicTracerProvider().getTracer('test');
    const traceId = await tracer.startActiveSpan('job', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger.child({ job: 'outbox' }).warn('nouvelle tentative');
      span.end();
      return span.spanContext().traceId;
    });
    expect(out.parsed()[0]).toMatchObject({ job: 'outbox', trace_id: traceId });
  });
});
