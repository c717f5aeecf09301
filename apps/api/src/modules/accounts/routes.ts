import { Router } from 'express';
import type { CacheStore } from '@girlycrea/cache';
import { currentUser, requireUser } from '../../http/auth.js';
import { limit } from '../../http/rate-limit.js';
import { clearSessionCookie, setSessionCookie, type CookieSettings } from '../../http/session.js';
import { parse } from '../../http/validate.js';
import {
  AddressInput,
  AddressParams,
  AddressPatch,
  LoginRequest,
  PasswordResetConfirm,
  PasswordResetRequest,
  RegisterRequest,
  VerifyEmailRequest,
} from './schema.js';
import * as accounts from './service.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// Per-e-mail counters key on the normalised address so case games cannot dodge them.
const byEmail = (req: { body?: { email?: unknown } }) =>
  `email:${typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase().slice(0, 254) : '-'}`;

/** Session, sign-up, sign-in, password reset and address routes. */
export function accountRoutes(deps: accounts.AccountsDeps & { cache: CacheStore; cookies: CookieSettings }): Router {
  const router = Router();
  const { cache, cookies } = deps;

  router.get('/csrf', async (req, res) => {
    let session = req.session;
    if (!session) {
      session = await deps.sessions.create();
      setSessionCookie(res, session, cookies);
    }
    res.setHeader('Cache-Control', 'no-store').json({ token: session.data.csrfToken });
  });

  router.post('/auth/register', limit(cache, { name: 'register-ip', limit: 10, windowMs: HOUR }), async (req, res) => {
    const { user, session } = await accounts.register(deps, parse(RegisterRequest, req.body), req.session?.id);
    setSessionCookie(res, session, cookies);
    res.status(201).json({ user });
  });

  router.post(
    '/auth/login',
    limit(cache, { name: 'login-ip', limit: 30, windowMs: MINUTE }),
    limit(cache, { name: 'login-email', limit: 5, windowMs: MINUTE, key: byEmail, countOnlyFailures: true }),
    async (req, res) => {
      const { user, session } = await accounts.login(deps, parse(LoginRequest, req.body), req.session?.id);
      setSessionCookie(res, session, cookies);
      res.json({ user });
    },
  );

  router.post('/auth/logout', async (req, res) => {
    await accounts.logout(deps, req.session?.id);
    clearSessionCookie(res, cookies);
    res.status(204).end();
  });

  router.get('/me', requireUser, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store').json({ user: await accounts.getUser(deps, currentUser(req).id) });
  });

  router.post(
    '/auth/password-reset',
    limit(cache, { name: 'reset-ip', limit: 10, windowMs: HOUR }),
    limit(cache, { name: 'reset-email', limit: 3, windowMs: HOUR, key: byEmail }),
    async (req, res) => {
      await accounts.requestPasswordReset(deps, parse(PasswordResetRequest, req.body).email);
      res.status(202).json({ message: 'Si un compte existe avec cette adresse, un e-mail vient de lui être envoyé.' });
    },
  );

  router.post(
    '/auth/password-reset/confirm',
    limit(cache, { name: 'reset-confirm-ip', limit: 20, windowMs: HOUR }),
    async (req, res) => {
      await accounts.confirmPasswordReset(deps, parse(PasswordResetConfirm, req.body));
      clearSessionCookie(res, cookies);
      res.status(204).end();
    },
  );

  router.post('/auth/verify-email', limit(cache, { name: 'verify-email-ip', limit: 30, windowMs: HOUR }), async (req, res) => {
    res.json({ user: await accounts.verifyEmail(deps, parse(VerifyEmailRequest, req.body).token) });
  });

  router.post('/me/verify-email', requireUser, limit(cache, { name: 'verify-email-resend', limit: 3, windowMs: HOUR, key: (req) => `user:${currentUser(req).id}` }), async (req, res) => {
    await accounts.resendVerification(deps, currentUser(req).id);
    res.status(202).json({ message: 'Un nouveau lien de confirmation vient de vous être envoyé.' });
  });

  router.get('/me/addresses', requireUser, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store').json({ items: await accounts.listAddresses(deps, currentUser(req).id) });
  });

  router.post('/me/addresses', requireUser, async (req, res) => {
    res.status(201).json(await accounts.addAddress(deps, currentUser(req).id, parse(AddressInput, req.body)));
  });

  router.patch('/me/addresses/:id', requireUser, async (req, res) => {
    const { id } = parse(AddressParams, req.params);
    res.json(await accounts.updateAddress(deps, currentUser(req).id, id, parse(AddressPatch, req.body)));
  });

  router.delete('/me/addresses/:id', requireUser, async (req, res) => {
    await accounts.removeAddress(deps, currentUser(req).id, parse(AddressParams, req.params).id);
    res.status(204).end();
  });

  return router;
}
