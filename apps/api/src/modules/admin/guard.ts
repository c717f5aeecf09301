import type { RequestHandler, Response } from 'express';
import type { CacheStore } from '@girlycrea/cache';
import { maybeOne, type Pool } from '@girlycrea/db';
import { currentUser } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from './audit.js';
import { hasSecondFactor } from './second-factor.js';

/**
 * The gate of every /api/admin route: 401 signed out; 403 for a customer, for an admin whose
 * session has not passed the second factor (details.reason = second_factor_required) or has
 * lapsed (30 min idle, 8 h at most), and for an account no longer admin in the database.
 * Admin answers are never cached.
 */
export function requireAdminSecondFactor(deps: { db: Pool; cache: CacheStore }): RequestHandler {
  return async (req, res, next) => {
    const user = currentUser(req);
    if (user.role !== 'admin') throw new AppError('forbidden', 'Accès réservé à l’administration.');
    if (!(await hasSecondFactor(deps.cache, req.session!, user.id))) {
      throw new AppError('forbidden', 'Saisissez le code de votre application d’authentification pour accéder à l’administration.', {
        details: { reason: 'second_factor_required' },
      });
    }
    const row = await maybeOne<{ email: string }>(deps.db, "SELECT email FROM customers WHERE id = $1 AND role = 'admin'", [user.id]);
    if (!row) throw new AppError('forbidden', 'Accès réservé à l’administration.');
    res.locals.actor = { id: user.id, email: row.email } satisfies Actor;
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

/** The admin the guard let through. */
export const actorOf = (res: Response): Actor => res.locals.actor as Actor;
