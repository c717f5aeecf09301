import type { Request, RequestHandler } from 'express';
import { AppError } from './errors.js';

/** The signed-in user of a request, or 401 unauthorized. */
export function currentUser(req: Request): { id: string; role: 'customer' | 'admin' } {
  const data = req.session?.data;
  if (!data?.userId || !data.role) throw new AppError('unauthorized', 'Connectez-vous pour continuer.');
  return { id: data.userId, role: data.role };
}

/** Lets only signed-in users through (401 otherwise). */
export const requireUser: RequestHandler = (req, _res, next) => {
  currentUser(req);
  next();
};

/** Lets only admins through: 401 when signed out, 403 for other roles. */
export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (currentUser(req).role !== 'admin') throw new AppError('forbidden', 'Accès réservé à l’administration.');
  next();
};
