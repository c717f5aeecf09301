import { pino, type Logger } from 'pino';

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
  'token',
  '*.token',
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.databaseUrl',
  '*.redisUrl',
];

/** Creates the process's JSON logger (pretty-printed in development). */
export function createLogger(config: LoggerConfig): Logger {
  return pino({
    level: config.level,
    name: config.name,
    redact: { paths: REDACT, censor: '[masqué]' },
    ...(config.pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}
