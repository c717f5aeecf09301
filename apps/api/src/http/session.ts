import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '@girlycrea/observability/logger';
import { parse as parseCookies, serialize } from 'cookie';
import { isSessionId, type Session, type SessionStore } from '@girlycrea/cache';

declare module 'express-serve-static-core' {
  interface Request {
    /** The caller's live session, if its `sid` cookie names one. */
    session?: Session;
    /** Whether the request carried a session cookie at all (live or not): CSRF applies then. */
    hasSessionCookie?: boolean;
    /** A well-formed session id from the cookie with nothing stored yet: the guest session to start on its first write. */
    pendingSessionId?: string;
  }
}

/** Name of the session cookie. */
export const SESSION_COOKIE = 'sid';
const MAX_AGE_S = 7 * 24 * 3600;

/** Cookie attributes of the session: HttpOnly, SameSite=Lax, Secure in production. */
export interface CookieSettings {
  secure: boolean;
}

/** Sets the session cookie (also to slide its expiry). */
export function setSessionCookie(res: Response, sessionId: string, settings: CookieSettings): void {
  res.append(
    'Set-Cookie',
    serialize(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'lax', secure: settings.secure, path: '/', maxAge: MAX_AGE_S }),
  );
}

/** Expires the session cookie in the browser. */
export function clearSessionCookie(res: Response, settings: CookieSettings): void {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: settings.secure, path: '/', maxAge: 0 }));
}

/** Loads the session named by the `sid` cookie into `req.session`; refreshes the cookie as the session slides. */
export function loadSession(sessions: SessionStore, settings: CookieSettings): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.cookie;
    const id = header ? parseCookies(header)[SESSION_COOKIE] : undefined;
    req.hasSessionCookie = id !== undefined;
    if (id) {
      const session = await sessions.get(id);
      if (session) {
        req.session = session;
        if (session.refreshed) setSessionCookie(res, session.id, settings);
      } else if (isSessionId(id)) {
        req.pendingSessionId = id;
      }
    }
    next();
  };
}

/**
 * For writes that need a session (cart, checkout): starts the pending guest session in the store,
 * short-lived, and gives it the full lifetime once the write succeeds. `creationLimit` runs only
 * when a session is about to be created, so anonymous sessions are rate-limited per client.
 */
export function ensureSession(sessions: SessionStore, creationLimit: RequestHandler, logger: Pick<Logger, 'warn'>): RequestHandler {
  function keepOnSuccess(session: Session, res: Response): void {
    if (!session.data.ephemeral) return;
    res.once('finish', () => {
      if (res.statusCode < 300) sessions.keep(session).catch((error: unknown) => logger.warn({ err: error }, 'session invité non prolongée'));
    });
  }
  async function start(req: Request, res: Response): Promise<void> {
    const session = await sessions.startGuest(req.pendingSessionId!);
    req.session = session;
    req.pendingSessionId = undefined;
    keepOnSuccess(session, res);
  }
  return (req, res, next) => {
    if (req.method === 'GET') return next();
    if (req.session) {
      keepOnSuccess(req.session, res);
      return next();
    }
    if (!req.pendingSessionId) return next();
    creationLimit(req, res, (error?: unknown) => {
      if (error) return next(error);
      start(req, res).then(() => next(), next);
    });
  };
}
