import type { IncomingMessage } from 'node:http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';

// Loaded only when tracing is on (a dynamic import from telemetry.ts), so an app without an OTLP
// endpoint never pays for the SDK. fs, dns and net instrumentations are deliberately absent: noise.

// The instrumentation's built-in list, plus the parameters our own URLs may carry secrets in.
const REDACTED_QUERY_PARAMS = [
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
  'token',
  'access_token',
  'code',
  'key',
  'email',
  'password',
];

/** Options the bootstrap passes to the SDK; everything else comes from the OTEL_* variables. */
export interface SdkOptions {
  resource: Record<string, string>;
  /** Incoming request paths never traced (Prometheus scrapes, health probes). */
  ignorePaths: readonly string[];
}

/** Builds (without starting) the NodeSDK: traces only, exporter/sampler/batching from the OTEL_* variables. */
export function createSdk(options: SdkOptions): NodeSDK {
  const ignored = new Set(options.ignorePaths);
  const isIgnored = (req: IncomingMessage) => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    return ignored.has(query === -1 ? url : url.slice(0, query));
  };
  return new NodeSDK({
    // Ours first, then the env/process/host detectors: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win.
    resource: defaultResource().merge(resourceFromAttributes(options.resource)),
    // No traceExporter/spanProcessors: the SDK builds the OTLP exporter from OTEL_EXPORTER_OTLP_* and
    // OTEL_TRACES_EXPORTER, the sampler from OTEL_TRACES_SAMPLER(_ARG), batching from OTEL_BSP_*.
    // Metrics belong to prom-client and logs to pino: without these two the SDK would start OTLP exporters for both.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: isIgnored,
        redactedQueryParams: REDACTED_QUERY_PARAMS,
        redactedQueryParamsServer: REDACTED_QUERY_PARAMS,
      }),
      // One span per router and route handler; a span per middleware (helmet, json, …) is mostly noise.
      new ExpressInstrumentation({
        ignoreLayersType: [ExpressLayerType.MIDDLEWARE],
        // Spans named after the path the request took. By default a router is named after its first
        // route (every catalog read showed "router - /health") and, under Express 5, a route's handler
        // has no route in its name at all.
        spanNameHook: (info, defaultName) => {
          if (info.layerType === ExpressLayerType.ROUTER) return `router - ${info.route}`;
          if (info.layerType === ExpressLayerType.REQUEST_HANDLER && info.route) return `request handler - ${info.route}`;
          return defaultName;
        },
        // Left alone, it marks every error passed to next() as an exception on the handler span: expected 4xx
        // outcomes (not_found, out_of_stock) would fill SigNoz's Exceptions view, and each 5xx would show twice.
        // Which errors are exceptions is the app's error middleware's call (recordException).
        requestHook: (span) => {
          span.recordException = () => undefined;
          span.setStatus = () => span;
        },
      }),
      // Background jobs poll the database and Redis: without a parent they would each start a trace.
      // Query text is recorded (placeholders only), never the parameters.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      // Keys can embed session ids and values carry carts: record the command name only.
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
      // fetch(): payment provider, webhooks.
      new UndiciInstrumentation({ requireParentforSpans: true }),
    ],
  });
}
