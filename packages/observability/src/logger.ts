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
  if (destination) return pino(options, destination);
  return pino({
    ...options,
    ...(config.pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}
