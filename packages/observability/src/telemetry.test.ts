import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordException } from './telemetry.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './testing/otlp-receiver.js';

const APP = fileURLToPath(new URL('./testing/traced-app.ts', import.meta.url));
const ENTRY = fileURLToPath(new URL('./testing/traced-entry.ts', import.meta.url));
const OFF_NOTICE = /OpenTelemetry désactivé/g;

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

interface Child {
  process: ChildProcess;
  port: number;
  output: () => string;
  /** Sends SIGTERM and resolves with the exit code once the app's own shutdown has run. */
  stop: () => Promise<number | null>;
}

/** Starts traced-app in a child process the way production does: a preload flag, or an entry script. */
async function startChild(mode: 'preload' | 'entry', env: Record<string, string>): Promise<Child> {
  let output = '';
  const child = fork(mode === 'preload' ? APP : ENTRY, [JSON.stringify({ databaseUrl: inject('testDb').adminUrl, redisUrl: inject('redisUrl') })], {
    // tsx runs the package's TypeScript source (the `development` condition) as the API's own tests do.
    execArgv: ['--import', 'tsx', '--conditions=development', ...(mode === 'preload' ? ['--import', '@girlycrea/observability/register'] : [])],
    env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const port = await Promise.race([
    once(child, 'message').then(([message]) => (message as { port: number }).port),
    exited.then((code) => Promise.reject(new Error(`child exited ${code}: ${output}`))),
  ]);
  return {
    process: child,
    port,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function tracedEnv(): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_SERVICE_NAME: 'boutique-test',
    OTEL_RESOURCE_ATTRIBUTES: 'service.version=9.9.9',
    NODE_APP_INSTANCE: '2',
    // Export quickly; the shutdown flush would catch stragglers anyway.
    OTEL_BSP_SCHEDULE_DELAY: '100',
  };
}

describe.each(['preload', 'entry'] as const)('tracing started by %s', (mode) => {
  let spans: ReceivedSpan[];
  let output: string;
  let exitCode: number | null;
  const slug = `noeud-velours-${mode}`;

  beforeAll(async () => {
    const before = new Set(receiver.spans().map((span) => span.spanId));
    const child = await startChild(mode, tracedEnv());
    const product = await fetch(`http://127.0.0.1:${child.port}/api/products/${slug}`);
    expect(product.status).toBe(200);
    expect(await product.json()).toEqual({ slug, one: 1, pong: 'PONG' });
    const boom = await fetch(`http://127.0.0.1:${child.port}/api/boom`);
    expect(boom.status).toBe(500);
    await boom.arrayBuffer();
    const missing = await fetch(`http://127.0.0.1:${child.port}/api/missing/42`);
    expect(missing.status).toBe(404);
    await missing.arrayBuffer();
    exitCode = await child.stop();
    output = child.output();
    spans = receiver.spans().filter((span) => !before.has(span.spanId));
  });

  it('lets the app shut down by itself and flushes every span before the process ends', () => {
    expect(exitCode).toBe(0);
    expect(output).toContain('arrêt terminé');
    expect(output).toContain('OpenTelemetry actif : traces http/json vers');
    expect(output.match(OFF_NOTICE)).toBeNull();
  });

  it('puts the HTTP server span, the Express route, the pg query and the Redis PING of one request in one trace', () => {
    const server = spans.find((span) => span.kind === 2 && span.attributes['http.route'] === '/api/products/:slug');
    expect(server, JSON.stringify(spans.map((span) => span.name))).toBeDefined();
    const trace = spans.filter((span) => span.traceId === server!.traceId);

    // Express 5 leaves the route out of the handler span's name: it is in http.route.
    const handler = trace.find(
      (span) => span.scope.includes('express') && span.attributes['express.type'] === 'request_handler' && span.attributes['http.route'] === '/api/products/:slug',
    );
    const query = trace.find((span) => span.scope.includes('pg') && span.name.startsWith('pg.query'));
    const ping = trace.find((span) => span.scope.includes('ioredis'));
    expect(handler, JSON.stringify(trace.map((span) => span.name))).toBeDefined();
    expect(query?.attributes['db.query.text']).toBe('SELECT 1 AS one');
    expect(String(ping?.attributes['db.operation.name'] ?? ping?.name).toLowerCase()).toBe('ping');
    expect(server!.parentSpanId).toBeUndefined();
    // One request, one tree: every span descends from the server span.
    const ids = new Set(trace.map((span) => span.spanId));
    for (const span of trace) if (span !== server) expect(ids.has(span.parentSpanId!), span.name).toBe(true);
  });

  it('records Redis command names only, never keys or values', () => {
    const redisSpans = spans.filter((span) => span.scope.includes('ioredis'));
    expect(redisSpans.map((span) => span.attributes['db.query.text']).sort()).toEqual(['get', 'ping']);
    expect(JSON.stringify(spans)).not.toContain('jeton-de-session-secret');
  });

  it('describes the service: name and version from OTEL_*, environment from NODE_ENV, PM2 instance', () => {
    const resource = spans[0]!.resource;
    expect(resource['service.name']).toBe('boutique-test');
    expect(resource['service.version']).toBe('9.9.9');
    expect(resource['deployment.environment.name']).toBe('test');
    expect(resource['pm2.instance.id']).toBe('2');
    expect(String(resource['service.instance.id'])).toMatch(/\/2$/);
  });

  it("stamps the request's trace id on the app's log lines, the handler's and the access log's", () => {
    const server = spans.find((span) => span.kind === 2 && span.attributes['http.route'] === '/api/products/:slug')!;
    const lines = logLines(output);
    const handlerLine = lines.find((line) => line.msg === 'produit lu');
    expect(handlerLine?.trace_id).toBe(server.traceId);
    expect(handlerLine?.span_id).toMatch(/^[0-9a-f]{16}$/);
    const accessLine = lines.find((line) => line.msg === 'request completed' && (line.req as { url: string }).url.includes(slug));
    expect(accessLine?.trace_id).toBe(server.traceId);
  });

  it('records an unexpected error once, as an exception event (type, message, stack) on the ERROR server span', () => {
    const server = spans.find((span) => span.kind === 2 && span.attributes['http.route'] === '/api/boom');
    expect(server?.statusCode).toBe(SpanStatusCode.ERROR);
    const failed = spans.filter((span) => span.traceId === server!.traceId && span.events.some((event) => event.name === 'exception'));
    expect(failed.map((span) => span.spanId)).toEqual([server!.spanId]);
    const event = failed[0]!.events.find((e) => e.name === 'exception')!;
    expect(event.attributes['exception.type']).toBe('KaboomError');
    expect(event.attributes['exception.message']).toBe('la caisse a pris feu');
    expect(String(event.attributes['exception.stacktrace'])).toMatch(/la caisse a pris feu\n\s+at .*traced-app\.ts/);
    const errorLine = logLines(output).find((line) => line.msg === 'erreur inattendue');
    expect(errorLine?.trace_id).toBe(server!.traceId);
  });

  it('records no exception and no ERROR status for an expected 4xx outcome thrown by a route', () => {
    const server = spans.find((span) => span.kind === 2 && span.attributes['http.route'] === '/api/missing/:id');
    expect(server?.attributes['http.response.status_code']).toBe(404);
    const trace = spans.filter((span) => span.traceId === server!.traceId);
    expect(trace.length).toBeGreaterThan(1);
    for (const span of trace) {
      expect(span.events).toEqual([]);
      expect(span.statusCode).not.toBe(SpanStatusCode.ERROR);
    }
  });
});

describe('without an OTLP endpoint', () => {
  it('loads no SDK, sends nothing, logs no trace ids and says it is off exactly once', async () => {
    const received = receiver.requestCount();
    const env = { ...tracedEnv(), OTEL_EXPORTER_OTLP_ENDPOINT: '' };
    const child = await startChild('preload', env);
    const product = await fetch(`http://127.0.0.1:${child.port}/api/products/sans-traces`);
    expect(product.status).toBe(200);
    const state = await (await fetch(`http://127.0.0.1:${child.port}/api/state`)).json();
    expect(await child.stop()).toBe(0);

    expect(state).toEqual({ activeSpan: false, sdkLoaded: false });
    expect(receiver.requestCount()).toBe(received);
    const output = child.output();
    // The preload and the app both called startTelemetry(): still one line.
    expect(output.match(OFF_NOTICE)).toHaveLength(1);
    expect(output).toContain('ni OTEL_EXPORTER_OTLP_ENDPOINT ni OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    const lines = logLines(output);
    expect(lines.find((line) => line.msg === 'produit lu')).toBeDefined();
    expect(lines.some((line) => 'trace_id' in line)).toBe(false);
  });
});

describe('recordException', () => {
  function recordingSpan() {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const span = provider.getTracer('test').startSpan('work');
    return { span, finished: () => (span.end(), exporter.getFinishedSpans()[0]!) };
  }

  it('adds an exception event named after the error class, with message and stack, and sets status ERROR', () => {
    class PaymentDeclined extends Error {}
    const { span, finished } = recordingSpan();
    recordException(new PaymentDeclined('carte refusée'), { span, attributes: { 'order.id': 'o-1' } });
    const result = finished();
    expect(result.status).toEqual({ code: SpanStatusCode.ERROR, message: 'carte refusée' });
    expect(result.attributes['order.id']).toBe('o-1');
    expect(result.events).toHaveLength(1);
    expect(result.events[0]!.name).toBe('exception');
    expect(result.events[0]!.attributes).toMatchObject({
      'exception.type': 'PaymentDeclined',
      'exception.message': 'carte refusée',
      'exception.stacktrace': expect.stringContaining('telemetry.test.ts'),
    });
  });

  it('keeps a built-in error name and describes thrown non-errors', () => {
    const typed = recordingSpan();
    recordException(new TypeError('x is undefined'), { span: typed.span });
    expect(typed.finished().events[0]!.attributes!['exception.type']).toBe('TypeError');

    const thrown = recordingSpan();
    recordException({ code: 42 }, { span: thrown.span });
    expect(thrown.finished().events[0]!.attributes).toMatchObject({ 'exception.type': 'object', 'exception.message': '{"code":42}' });
  });

  it('is a no-op without tracing (no active span, no SDK)', () => {
    expect(() => recordException(new Error('personne n’écoute'))).not.toThrow();
  });
});
