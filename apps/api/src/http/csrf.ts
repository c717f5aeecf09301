import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every non-GET request that carries the session cookie must send `X-CSRF-Token` equal to its
 * session's token. Requests without the cookie carry no ambient authority and pass.
 */
export function requireCsrfToken(): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || !req.hasSessionCookie) return next();
    const sent = req.get('x-csrf-token');
    const expected = req.session?.data.csrfToken;
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
