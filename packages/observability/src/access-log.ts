import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** How requests are named and shown in the access log. */
export interface AccessLogOptions {
  /** The request's id (e.g. a sane incoming X-Request-Id, or a new one); called once per request. */
  requestId(req: IncomingMessage, res: ServerResponse): string;
  /** The URL as it may appear in a log line (e.g. secrets in the query string masked). */
  displayUrl?(url: string): string;
}

declare module 'node:http' {
  interface IncomingMessage {
    /** Set by the access log middleware: the id echoed in X-Request-Id and logged with the request. */
    id?: string;
  }
}

/**
 * One line per request, when it ends: `info` for answers and for the client errors a shop expects
 * (a guest's 401 on /api/me, a 404, a 409 out of stock…), `warn` for 429 (someone is hammering a
 * limit), `error` for 5xx and requests the client abandoned before the answer. Nothing is built for a line the logger's level drops, so a
 * busy API at LOG_LEVEL=warn pays one listener and a clock read per request, not a child logger.
 * The line is written in the request's context, so the trace ids of the request's span are on it.
 */
export function accessLog(logger: Logger, options: AccessLogOptions) {
  const displayUrl = options.displayUrl ?? ((url: string) => url);
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const id = options.requestId(req, res);
    req.id = id;
    // Routers rewrite req.url while they handle it (Express strips mount paths): keep the one received.
    const { method, url } = req;
    const started = performance.now();
    const done = () => {
      res.off('finish', done);
      res.off('close', done);
      const aborted = !res.writableFinished;
      const level = aborted || res.statusCode >= 500 ? 'error' : res.statusCode === 429 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          req: { id, method, url: displayUrl(url ?? '') },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        },
        aborted ? 'request aborted' : 'request completed',
      );
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
