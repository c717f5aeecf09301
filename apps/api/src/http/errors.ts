import type { ErrorRequestHandler, RequestHandler } from 'express';
import { CacheUnavailableError, StoreFullError } from '@girlycrea/cache';
import type { ErrorCode } from '@girlycrea/contract';
import { DbError } from '@girlycrea/db';
import type { Logger } from '@girlycrea/observability/logger';
import { recordException } from '@girlycrea/observability/telemetry';

/** The only code→status table. */
const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_token: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  cart_empty: 409,
  out_of_stock: 409,
  idempotency_conflict: 409,
  invalid_state: 409,
  discount_invalid: 409,
  price_changed: 409,
  invalid_signature: 400,
  payload_too_large: 413,
  rate_limited: 429,
  service_unavailable: 503,
  internal_error: 500,
};

/** An expected failure with a stable code; the error middleware turns it into a JSON error response. */
export class AppError extends Error {
  readonly details: unknown;
  /** Sent as `Retry-After` (429, 503): when the client may try again. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { details?: unknown; cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return STATUS[this.code];
  }
}

const unavailable = (cause: unknown) =>
  new AppError('service_unavailable', 'Service momentanément indisponible, réessayez dans un instant.', { cause });

/** Turns any thrown value into the AppError the client will see. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof CacheUnavailableError) return unavailable(error);
  // The state Redis is full: the write was refused, nothing was lost; the operator log says why.
  if (error instanceof StoreFullError) {
    return new AppError('service_unavailable', "La boutique ne peut pas enregistrer cette action pour l'instant, réessayez dans quelques minutes.", { cause: error });
  }
  if (error instanceof DbError) {
    if (error.kind === 'unavailable') return unavailable(error);
    const code = ({ conflict: 'conflict', not_found: 'not_found', invalid_input: 'invalid_request' } as const)[error.kind];
    return new AppError(code, error.message, { cause: error });
  }
  // body-parser and friends flag client mistakes with a 4xx status and a type.
  const status = (error as { status?: unknown }).status;
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large') return new AppError('payload_too_large', 'Requête trop volumineuse.', { cause: error });
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('invalid_request', 'Requête invalide : corps JSON illisible.', { cause: error });
  }
  return new AppError('internal_error', 'Une erreur interne est survenue.', { cause: error });
}

/** Answers 404 not_found for any route nobody handled. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `Aucune route pour ${req.method} ${req.path}.`));
};

/** The one error middleware: the JSON error body of ARCHITECTURE.md; unexpected errors logged once with their stack. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      // The span event is what SigNoz's exceptions view shows (it replaces Sentry).
      recordException(error);
      logger.error({ err: error, requestId: req.id, path: req.path }, 'request failed');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // Read by the business metrics (checkout failures by reason, refused sign-ins).
    res.locals.errorCode = appError.code;
    if (appError.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(appError.retryAfterSeconds));
    else if (appError.code === 'service_unavailable') res.setHeader('Retry-After', '5');
    res
      .status(appError.status)
      .setHeader('Cache-Control', 'no-store')
      .json({
        error: {
          code: appError.code,
          message: appError.message,
          ...(appError.details === undefined ? {} : { details: appError.details }),
        },
      });
  };
}
