import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { guestCsrfToken } from '@girlycrea/cache';
import { AppError } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a browser says the write comes from a page allowed to make it. `Origin` decides when sent
 * (it must be the API's own origin or one of `allowedOrigins`); otherwise `Sec-Fetch-Site` must say
 * `same-origin` (or `none`: typed by the user). A client that sends neither is not a browser and has
 * no ambient cookie to abuse by accident: it is left to the token check.
 */
function isAllowedSource(req: Request, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = req.get('origin');
  if (origin !== undefined) return allowedOrigins.has(origin) || origin === `${req.protocol}://${req.get('host')}`;
  const site = req.get('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}

/**
 * Every non-GET request that carries the session cookie must come from an allowed origin (see
 * isAllowedSource) and send `X-CSRF-Token` equal to its session's token; a guest whose
 * session is not stored yet has the token derived from its id. Requests without the cookie carry
 * no ambient authority and pass.
 */
export function requireCsrfToken(options: { allowedOrigins: readonly string[] }): RequestHandler {
  const allowedOrigins = new Set(options.allowedOrigins);
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || !req.hasSessionCookie) return next();
    if (!isAllowedSource(req, allowedOrigins)) {
      return next(new AppError('csrf_failed', 'Origine de la requête refusée : utilisez la boutique pour cette action.'));
    }
    const sent = req.get('x-csrf-token');
    const expected = req.session?.data.csrfToken ?? (req.pendingSessionId ? guestCsrfToken(req.pendingSessionId) : undefined);
    if (!sent || !expected || !safeEqual(sent, expected)) {
      return next(new AppError('csrf_failed', 'Jeton CSRF absent ou invalide : rechargez la page et réessayez.'));
    }
    next();
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
