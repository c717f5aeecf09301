import type { z } from 'zod';
import { AppError } from './errors.js';

/** Parses `value` with `schema`, or throws 400 invalid_request with one detail per bad field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError('invalid_request', 'Requête invalide.', {
    details: result.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    })),
  });
}
