/**
 * Runtime configuration of the web app.
 *
 * This is the ONLY module of apps/web allowed to read `process.env`: every
 * other file imports the validated values from here, so a typo in an env var
 * fails loudly at startup instead of producing odd fetch errors later.
 */

const DEFAULT_API_ORIGIN = 'http://127.0.0.1:3001';

/** Parses and validates an API origin (scheme + host + optional port, no path). */
export function parseApiOrigin(raw: string | undefined): string {
  const value = raw?.trim() || DEFAULT_API_ORIGIN;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`API_ORIGIN must be an absolute URL such as ${DEFAULT_API_ORIGIN}, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`API_ORIGIN must use http or https, got "${url.protocol}"`);
  }
  // Callers append "/api/..." themselves; a path here would silently double it
  // ("/api/api/...") or drop it, so reject rather than guess.
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new Error(`API_ORIGIN must be an origin only (no path, query, hash or credentials), got "${value}"`);
  }
  return url.origin;
}

/**
 * Origin of the REST API, e.g. `http://127.0.0.1:3001`.
 * Used by server-side fetches and by the `/api/*` rewrite in next.config.ts
 * (rewrites are resolved at `next build`, so rebuild after changing it).
 */
export const API_ORIGIN: string = parseApiOrigin(process.env.API_ORIGIN);
