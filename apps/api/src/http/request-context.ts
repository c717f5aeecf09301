import { randomBytes } from 'node:crypto';
import { accessLog } from '@girlycrea/observability/access-log';
import type { Logger } from '@girlycrea/observability/logger';

const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;
// Guest order links and reset links carry secrets in the query string: never log them.
const SECRET_PARAMS = /([?&](?:token|code|key)=)[^&]*/gi;

// Unique across processes and restarts without a random draw per request: a per-process random
// prefix, then a counter.
const PROCESS_PREFIX = randomBytes(6).toString('hex');
let counter = 0;

/** A new request id such as `3f9c2a7b1d04-1a2b`. */
export const newRequestId = (): string => `${PROCESS_PREFIX}-${(counter += 1).toString(36)}`;

/** The request URL as it may appear in logs. */
export const redactUrl = (url: string): string => url.replace(SECRET_PARAMS, '$1[masqué]');

/** Gives each request an id (a sane incoming `X-Request-Id` is kept), echoes it, and logs the request once. */
export function requestContext(logger: Logger) {
  return accessLog(logger, {
    requestId(req, res) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : newRequestId();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    displayUrl: redactUrl,
  });
}
