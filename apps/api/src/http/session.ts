import type { RequestHandler, Response } from 'express';
import { parse as parseCookies, serialize } from 'cookie';
import type { Session, SessionStore } from '@girlycrea/cache';

declare module 'express-serve-static-core' {
  interface Request {
    /** The caller's live session, if its `sid` cookie names one. */
    session?: Session;
    /** Whether the request carried a session cookie at all (live or not): CSRF applies then. */
    hasSessionCookie?: boolean;
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
export function setSessionCookie(res: Response, session: Session, settings: CookieSettings): void {
  res.append(
    'Set-Cookie',
    serialize(SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'lax', secure: settings.secure, path: '/', maxAge: MAX_AGE_S }),
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
        if (session.refreshed) setSessionCookie(res, session, settings);
      }
    }
    next();
  };
}
