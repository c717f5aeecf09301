import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
import { createRateLimitStore, type CacheStore } from '@girlycrea/cache';
import { AppError } from './errors.js';

/** One limit: at most `limit` counted requests per `windowMs` for each key. */
export interface LimitRule {
  name: string;
  limit: number;
  windowMs: number;
  /** What is counted against; defaults to the client IP (IPv6 grouped by /56). */
  key?: (req: Request) => string;
  /** Count only failures (a 2xx/3xx answer gives its hit back): for login attempts. */
  countOnlyFailures?: boolean;
  /** The French message of the 429, given the seconds to wait; default « Trop de tentatives… ». */
  message?: (seconds: number) => string;
}

/** A client IP key, safe for IPv6. */
export const byIp = (req: Request): string => ipKeyGenerator(req.ip ?? 'unknown');

/** The caller's session (hashed: a session id is a bearer secret), or its IP without one. */
export const bySession = (req: Request): string =>
  req.session ? `s:${createHash('sha256').update(req.session.id).digest('base64url')}` : `ip:${byIp(req)}`;

/**
 * Builds a limiter whose counters live in the shared cache, so all API processes enforce one
 * limit. Over the limit: 429 rate_limited with Retry-After. Cache down: 503, never a silent pass.
 * A 503 answer is not counted (see below).
 */
export function limit(cache: CacheStore, rule: LimitRule): RequestHandler {
  return rateLimit({
    windowMs: rule.windowMs,
    limit: rule.limit,
    store: createRateLimitStore(cache, rule.name),
    keyGenerator: rule.key ?? byIp,
    // An answer of 503 (a server down) gives its hit back, so a customer retrying through an outage
    // does not use up an hour's attempts. Rules counting failures only count it as one.
    ...(rule.countOnlyFailures
      ? { skipSuccessfulRequests: true }
      : { skipFailedRequests: true, requestWasSuccessful: (_req: Request, res: Response) => res.statusCode !== 503 }),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    passOnStoreError: false,
    handler(req, res, next) {
      const resetTime = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime;
      const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : Math.ceil(rule.windowMs / 1000);
      next(new AppError('rate_limited', rule.message?.(seconds) ?? `Trop de tentatives : réessayez dans ${seconds} s.`, { retryAfterSeconds: seconds }));
    },
  });
}
