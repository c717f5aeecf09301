import { ErrorBody } from '@girlycrea/contract';
import { API_ORIGIN } from '../config';
import { ApiError } from './errors';

/** Default time budget for one API call; the page must not hang on a slow API. */
export const DEFAULT_TIMEOUT_MS = 5_000;

export interface FetchJsonOptions {
  /** Abort after this many milliseconds (default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Next.js data-cache settings (revalidate, tags). */
  next?: NextFetchRequestConfig;
  /** `no-store` reads past Next's data cache (a check that must see the API's current answer). */
  cache?: RequestCache;
  headers?: Record<string, string>;
  /** Caller cancellation, combined with the timeout. */
  signal?: AbortSignal;
}

/**
 * Server-side GET of `path` (e.g. `/api/products?page=1`) from the API origin, decoded by `decode`.
 * A contract drift surfaces as an ApiError, not a render crash.
 */
export async function fetchJson<T>(path: string, decode: (data: unknown) => T, options: FetchJsonOptions = {}): Promise<T> {
  if (!path.startsWith('/')) throw new TypeError(`fetchJson expects an absolute path, got "${path}"`);
  // Server-side we call the API directly rather than through our own /api
  // rewrite: one hop fewer, and it works before the Next server listens.
  const url = `${API_ORIGIN}${path}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;

  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', ...options.headers },
      signal,
      ...(options.next ? { next: options.next } : {}),
      ...(options.cache ? { cache: options.cache } : {}),
    });
  } catch (cause) {
    if (timeout.aborted) {
      throw new ApiError(`GET ${path} timed out after ${timeoutMs} ms`, 'timeout', null, null, { cause });
    }
    throw new ApiError(`GET ${path} failed: ${String(cause)}`, 'network', null, null, { cause });
  }

  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    if (!response.ok) {
      throw new ApiError(`GET ${path} answered ${response.status}`, 'http', response.status, null, { cause });
    }
    throw new ApiError(`GET ${path} returned invalid JSON`, 'invalid_response', response.status, null, { cause });
  }

  if (!response.ok) {
    const error = ErrorBody.safeParse(body);
    throw new ApiError(`GET ${path} answered ${response.status}`, 'http', response.status, error.success ? error.data.error.code : null);
  }

  try {
    return decode(body);
  } catch (cause) {
    throw new ApiError(`GET ${path} returned an unexpected shape: ${String(cause)}`, 'invalid_response', response.status, null, { cause });
  }
}
