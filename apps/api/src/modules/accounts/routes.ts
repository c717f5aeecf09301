import { Router } from 'express';
import type { CacheStore } from '@girlycrea/cache';
import { currentUser, requireUser } from '../../http/auth.js';
import { guestCsrfToken, newSessionId } from '@girlycrea/cache';
import { byIp, limit } from '../../http/rate-limit.js';
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
} from '@girlycrea/contract';
import { createLoginThrottle, type LoginLimits } from './login-throttle.js';
import * as accounts from './service.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Session, sign-up, sign-in, password reset and address routes. */
export function accountRoutes(
  deps: Omit<accounts.AccountsDeps, 'loginThrottle'> & { cache: CacheStore; cookies: CookieSettings; loginLimits?: LoginLimits | undefined },
): Router {
  const router = Router();
  const { cache, cookies } = deps;
  const service: accounts.AccountsDeps = { ...deps, loginThrottle: createLoginThrottle(cache, deps.loginLimits) };

  // Stores nothing: a guest's session is created by its first write (see ensureSession).
  router.get('/csrf', (req, res) => {
    let token = req.session?.data.csrfToken;
    if (!token) {
      const id = req.pendingSessionId ?? newSessionId();
      if (!req.pendingSessionId) setSessionCookie(res, id, cookies);
      token = guestCsrfToken(id);
    }
    res.setHeader('Cache-Control', 'no-store').json({ token });
  });

  router.post('/auth/register', limit(cache, { name: 'register-ip', limit: 10, windowMs: HOUR }), async (req, res) => {
    const { user, session } = await accounts.register(service, parse(RegisterRequest, req.body), req.session?.id);
    setSessionCookie(res, session.id, cookies);
    res.status(201).json({ user });
  });

  // A flood limit on every attempt; failures are throttled by the login throttle inside the use case.
  router.post('/auth/login', limit(cache, { name: 'login-ip', limit: 30, windowMs: MINUTE }), async (req, res) => {
    const { user, session } = await accounts.login(service, parse(LoginRequest, req.body), { ip: byIp(req), previousSessionId: req.session?.id });
    setSessionCookie(res, session.id, cookies);
    res.json({ user });
  });

  router.post('/auth/logout', async (req, res) => {
    await accounts.logout(service, req.session?.id);
    clearSessionCookie(res, cookies);
    res.status(204).end();
  });

  router.get('/me', requireUser, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store').json({ user: await accounts.getUser(service, currentUser(req).id) });
  });

  // Per IP only: a per-address 429 would let strangers block the owner's way back in (the service
  // sends at most one e-mail per address per cooldown instead, silently).
  router.post('/auth/password-reset', limit(cache, { name: 'reset-ip', limit: 10, windowMs: HOUR }), async (req, res) => {
    await accounts.requestPasswordReset(service, parse(PasswordResetRequest, req.body).email);
    res.status(202).json({ message: 'Si un compte existe avec cette adresse, un e-mail vient de lui être envoyé.' });
  });

  router.post(
    '/auth/password-reset/confirm',
    limit(cache, { name: 'reset-confirm-ip', limit: 20, windowMs: HOUR }),
    async (req, res) => {
      await accounts.confirmPasswordReset(service, parse(PasswordResetConfirm, req.body));
      clearSessionCookie(res, cookies);
      res.status(204).end();
    },
  );

  router.post('/auth/verify-email', limit(cache, { name: 'verify-email-ip', limit: 30, windowMs: HOUR }), async (req, res) => {
    res.json({ user: await accounts.verifyEmail(service, parse(VerifyEmailRequest, req.body).token) });
  });

  router.post('/me/verify-email', requireUser, limit(cache, { name: 'verify-email-resend', limit: 3, windowMs: HOUR, key: (req) => `user:${currentUser(req).id}` }), async (req, res) => {
    await accounts.resendVerification(service, currentUser(req).id);
    res.status(202).json({ message: 'Un nouveau lien de confirmation vient de vous être envoyé.' });
  });

  router.get('/me/addresses', requireUser, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store').json({ items: await accounts.listAddresses(service, currentUser(req).id) });
  });

  router.post('/me/addresses', requireUser, async (req, res) => {
    res.status(201).json(await accounts.addAddress(service, currentUser(req).id, parse(AddressInput, req.body)));
  });

  router.patch('/me/addresses/:id', requireUser, async (req, res) => {
    const { id } = parse(AddressParams, req.params);
    res.json(await accounts.updateAddress(service, currentUser(req).id, id, parse(AddressPatch, req.body)));
  });

  router.delete('/me/addresses/:id', requireUser, async (req, res) => {
    await accounts.removeAddress(service, currentUser(req).id, parse(AddressParams, req.params).id);
    res.status(204).end();
  });

  return router;
}
