import { createRequire } from 'node:module';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Logger settings; `pretty` is for a developer's terminal only. */
export interface LoggerConfig {
  level: string;
  pretty?: boolean;
  name?: string;
}

// Never let credentials reach the logs, whatever object they ride in on.
const REDACT = [
  'password',
  '*.password',
  '*.*.password',
  'currentPassword',
  '*.currentPassword',
  'newPassword',
  '*.newPassword',
  'token',
  '*.token',
  '*.*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'secret',
  '*.secret',
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'headers["x-csrf-token"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
  '*.headers["x-csrf-token"]',
  'databaseUrl',
  '*.databaseUrl',
  'redisUrl',
  '*.redisUrl',
];

/**
 * A developer's terminal: one line per entry, and an access-log line reads `GET /api/me 401 3 ms`
 * (its request id, trace ids and nested objects stay in the JSON logs of production).
 */
export function formatPrettyMessage(log: Record<string, unknown>, messageKey: string): string {
  const req = log.req as { method?: unknown; url?: unknown } | undefined;
  const res = log.res as { statusCode?: unknown } | undefined;
  if (typeof req?.method !== 'string' || res === undefined) return String(log[messageKey] ?? '');
  const aborted = log[messageKey] === 'request aborted' ? ' (abandonnée)' : '';
  return `${req.method} ${String(req.url)} ${String(res.statusCode)} ${String(log.responseTime)} ms${aborted}`;
}

const PRETTY_IGNORE = 'pid,hostname,name,req,res,responseTime,trace_id,span_id,trace_flags';

/**
 * `trace_id`, `span_id` and `trace_flags` of the span active where a line is logged (SigNoz links a log line to
 * its trace by these names); empty outside any span or when tracing is off.
 */
export function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const context = span.spanContext();
  if (!isSpanContextValid(context)) return {};
  return {
    trace_id: context.traceId,
    span_id: context.spanId,
    trace_flags: context.traceFlags.toString(16).padStart(2, '0'),
  };
}

/**
 * Creates the process's JSON logger: secrets redacted, trace ids on every line logged inside a span,
 * pretty-printed in development. `destination` replaces stdout (tests capture lines with it).
 */
export function createLogger(config: LoggerConfig, destination?: DestinationStream): Logger {
  const options = {
    level: config.level,
    name: config.name,
    redact: { paths: REDACT, censor: '[masqué]' },
    mixin: traceFields,
  };
  if (!config.pretty) return destination ? pino(options, destination) : pino(options);
  // In this thread rather than as a transport, so the message format can be a function; pino-pretty
  // is a development dependency, loaded only here.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pino(
    options,
    pretty({
      colorize: destination === undefined,
      ...(destination ? { destination } : {}),
      singleLine: true,
      translateTime: 'HH:MM:ss',
      ignore: PRETTY_IGNORE,
      messageFormat: (log, messageKey) => formatPrettyMessage(log, messageKey),
    }),
  );
}
