import { createRequire, register, type RegisterOptions } from 'node:module';
import { hostname } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { ProxyTracerProvider, SpanStatusCode, trace, type Attributes, type Exception, type Span } from '@opentelemetry/api';
import { loadTelemetryConfig } from './config.js';

// The SDK is process-wide by nature (OpenTelemetry's API keeps one global tracer provider), so this is the one
// module-level state of the package. It lives on globalThis so that a second copy of this file (src under
// tsx and dist under node, say) still sees the first start.
const STATE = Symbol.for('@girlycrea/observability/telemetry');
const TRACER = '@girlycrea/observability';
const SHUTDOWN_TIMEOUT_MS = 5_000;

/** Scrapes and probes hit these every few seconds: tracing them would bury real requests. */
export const DEFAULT_IGNORED_PATHS: readonly string[] = ['/metrics', '/api/health'];

/** How the process's telemetry ended up after `startTelemetry`. */
export interface TelemetryStatus {
  enabled: boolean;
  /** Why tracing is off, when it is. */
  reason?: string;
}

/** Optional overrides for `startTelemetry`; the OTEL_* variables still have the last word. */
export interface TelemetryOptions {
  /** Default service.name (else the started package's name); OTEL_SERVICE_NAME overrides it. */
  serviceName?: string;
  /** Default service.version (else the started package's version); OTEL_RESOURCE_ATTRIBUTES overrides it. */
  serviceVersion?: string;
  /** Incoming request paths never traced. Defaults to DEFAULT_IGNORED_PATHS. */
  ignorePaths?: readonly string[];
  /** Receives the single start-up line (on or off). Defaults to a pino-shaped JSON line on stdout. */
  notice?: (message: string) => void;
}

interface Runtime {
  status: Promise<TelemetryStatus>;
  sdk?: { shutdown(): Promise<void> };
  stopping?: Promise<void>;
}

type Global = typeof globalThis & { [STATE]?: Runtime };

/** The subset of import-in-the-middle used here (it is @opentelemetry/instrumentation's dependency, not ours). */
interface ImportInTheMiddle {
  createAddHookMessageChannel(): {
    registerOptions: RegisterOptions<unknown>;
    waitForAllMessagesAcknowledged(): Promise<void>;
  };
}

function writeNotice(message: string): void {
  // Same shape as the app's pino lines, so log shippers parse it like the rest.
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, hostname: hostname(), name: 'telemetry', msg: message })}\n`);
}

/**
 * Registers import-in-the-middle's loader so ESM imports of instrumented packages are patched too. Only the
 * modules an instrumentation asks for are intercepted (the message channel), not the whole module graph.
 */
function registerEsmHook(): () => Promise<void> {
  // The channel must come from the very copy of import-in-the-middle the instrumentations require.
  const fromInstrumentation = createRequire(createRequire(import.meta.url).resolve('@opentelemetry/instrumentation'));
  const iitm = fromInstrumentation('import-in-the-middle') as ImportInTheMiddle;
  const { registerOptions, waitForAllMessagesAcknowledged } = iitm.createAddHookMessageChannel();
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, registerOptions);
  return waitForAllMessagesAcknowledged;
}

async function flushTelemetry(): Promise<void> {
  const provider = trace.getTracerProvider();
  const delegate: unknown = provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider;
  const flushable = delegate as { forceFlush?: () => Promise<void> };
  await flushable.forceFlush?.().catch(() => undefined);
}

function installShutdownHooks(): void {
  const onSignal = (signal: NodeJS.Signals) => {
    // The app has its own handler: it owns the shutdown (and awaits shutdownTelemetry() at its end). Spans of the
    // requests it is still draining must keep flowing, so only push out what is buffered now.
    if (process.listenerCount(signal) > 1) {
      void flushTelemetry();
      return;
    }
    // Nobody else listens: flush, then let the signal do what it would have done without us.
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    void shutdownTelemetry().finally(() => process.kill(process.pid, signal));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Scripts that simply run out of work: the batch processor's timer is unref'd and would drop the last spans.
  process.once('beforeExit', () => void shutdownTelemetry());
}

async function boot(runtime: Runtime, options: TelemetryOptions): Promise<TelemetryStatus> {
  const notice = options.notice ?? writeNotice;
  const config = loadTelemetryConfig({ serviceName: options.serviceName, serviceVersion: options.serviceVersion });
  if (!config.enabled) {
    notice(`OpenTelemetry désactivé (${config.reason}) : aucune trace n'est exportée`);
    return { enabled: false, reason: config.reason };
  }
  try {
    const acknowledged = registerEsmHook();
    const { createSdk } = await import('./sdk.js');
    const sdk = createSdk({
      resource: config.resource,
      ignorePaths: options.ignorePaths ?? DEFAULT_IGNORED_PATHS,
    });
    sdk.start();
    // Instrumentations announced their modules to the loader thread while starting; wait until it listens for them.
    await acknowledged();
    runtime.sdk = sdk;
    installShutdownHooks();
    notice(`OpenTelemetry actif : traces ${config.protocol} vers ${config.endpoint}`);
    return { enabled: true };
  } catch (error) {
    // Telemetry must never keep the shop from starting.
    const reason = `démarrage impossible : ${(error as Error).message}`;
    notice(`OpenTelemetry désactivé (${reason}) : aucune trace n'est exportée`);
    return { enabled: false, reason };
  }
}

/**
 * Starts OpenTelemetry tracing from the OTEL_* variables, once per process (later calls return the first result).
 * Must run before express, pg, ioredis or node:http are imported. Without an OTLP endpoint it loads no SDK, exports
 * nothing and prints one line saying so. Never throws. Does nothing in worker threads (pino transports).
 */
export function startTelemetry(options: TelemetryOptions = {}): Promise<TelemetryStatus> {
  const global = globalThis as Global;
  if (!isMainThread) return Promise.resolve({ enabled: false, reason: 'worker thread' });
  const existing = global[STATE];
  if (existing) return existing.status;
  const runtime = { status: Promise.resolve<TelemetryStatus>({ enabled: false }) } as Runtime;
  global[STATE] = runtime;
  runtime.status = boot(runtime, options);
  return runtime.status;
}

/**
 * Exports the spans still buffered and stops tracing; call it last in the app's graceful shutdown, before exiting.
 * Idempotent, never rejects, and gives up after `timeoutMs` (default 5 s) so an unreachable collector cannot hold
 * the process. Resolves at once when telemetry is off.
 */
export async function shutdownTelemetry(options: { timeoutMs?: number } = {}): Promise<void> {
  const runtime = (globalThis as Global)[STATE];
  if (!runtime) return;
  await runtime.status;
  const sdk = runtime.sdk;
  if (!sdk) return;
  runtime.stopping ??= new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, options.timeoutMs ?? SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    sdk.shutdown().then(
      () => (clearTimeout(timer), resolve()),
      () => (clearTimeout(timer), resolve()),
    );
  });
  return runtime.stopping;
}

function toException(error: unknown): Exception & { message: string } {
  if (error instanceof Error) {
    // `class AppError extends Error` keeps name 'Error' unless it sets it: the class name says more.
    const name = error.name === 'Error' && error.constructor.name ? error.constructor.name : error.name;
    return { name, message: error.message, stack: error.stack };
  }
  if (typeof error === 'string') return { name: 'string', message: error };
  let message: string;
  try {
    message = JSON.stringify(error) ?? String(error);
  } catch {
    message = String(error);
  }
  return { name: typeof error, message };
}

/**
 * Records an error on a span as an `exception` event (exception.type, .message, .stacktrace) and marks the span
 * ERROR, which is what SigNoz's Exceptions view lists. Uses `options.span`, else the active span (in Express's
 * error middleware: the request's HTTP server span), else a span of its own named `unhandled exception` (for
 * process-level handlers). Call it for 5xx and unhandled errors, not for expected 4xx outcomes. A no-op when
 * tracing is off or the trace is not sampled.
 */
export function recordException(error: unknown, options: { span?: Span; attributes?: Attributes } = {}): void {
  const span = options.span ?? trace.getActiveSpan();
  const target = span ?? trace.getTracer(TRACER).startSpan('unhandled exception');
  if (target.isRecording()) {
    const exception = toException(error);
    target.recordException(exception);
    if (options.attributes) target.setAttributes(options.attributes);
    target.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
  }
  if (!span) target.end();
}

/**
 * Runs `work` inside a new active span (for jobs and other work outside a request, so their queries are traced);
 * records a thrown error on it and always ends it.
 */
export async function withSpan<T>(name: string, work: (span: Span) => Promise<T>, attributes?: Attributes): Promise<T> {
  return trace.getTracer(TRACER).startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      recordException(error, { span });
      throw error;
    } finally {
      span.end();
    }
  });
}
