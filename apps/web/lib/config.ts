/**
 * Runtime configuration of the web app.
 *
 * This is the ONLY module of apps/web allowed to read `process.env`: every
 * other file imports the validated values from here, so a typo in an env var
 * fails loudly at startup instead of producing odd fetch errors later.
 */

import { readLegalIdentity, type LegalIdentity } from './legal-identity';

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

/** Parses an optional absolute http(s) URL; empty means unset. */
function parseOptionalUrl(name: string, raw: string | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString().replace(/\/+$/, '');
  } catch {
    // fall through to the error below
  }
  throw new Error(`${name} must be an absolute http(s) URL, got "${value}"`);
}

/**
 * Public address of the shop (canonical URLs, sitemap, Open Graph), e.g. `https://girlycrea.fr`.
 * Defaults to the dev server.
 */
export const SITE_URL: string = parseOptionalUrl('SITE_URL', process.env.SITE_URL) ?? 'http://localhost:3000';

/** Plausible analytics (cookie-free) is on only when its domain is set. */
export const PLAUSIBLE_DOMAIN: string | null = process.env.PLAUSIBLE_DOMAIN?.trim() || null;

/** Where the Plausible script is served from; point it at a self-hosted instance to avoid a third party. */
export const PLAUSIBLE_SCRIPT_URL: string =
  parseOptionalUrl('PLAUSIBLE_SCRIPT_URL', process.env.PLAUSIBLE_SCRIPT_URL) ?? 'https://plausible.io/js/script.js';

/** Build output folder (the e2e suite builds into its own so it never clobbers `.next`). */
export const NEXT_DIST_DIR: string = process.env.NEXT_DIST_DIR?.trim() || '.next';

/**
 * True under `next start`, where cached pages are re-rendered in the background (ISR) and a failed
 * re-render keeps the last good page. False under `next dev` (every request renders) and while
 * `next build` prerenders (it sets NEXT_PHASE; the API may well be down then).
 */
export const REVALIDATING_IN_BACKGROUND: boolean = process.env.NODE_ENV === 'production' && process.env.NEXT_PHASE !== 'phase-production-build';

/** Shared with `npm run deploy`, which asks for every cached page to be rendered again (POST /revalidate). */
export const REVALIDATE_SECRET: string | null = process.env.REVALIDATE_SECRET?.trim() || null;

/** `allow`: a production build may ship the legal pages with visible placeholders (local builds, benchmarks). */
export const LEGAL_PLACEHOLDERS_ALLOWED: boolean = process.env.LEGAL_PLACEHOLDERS?.trim() === 'allow';

/**
 * The seller's identity on the legal pages, from the SELLER_* variables. Missing fields show as
 * placeholders here; next.config.ts makes a production build fail on them (see `readLegalIdentity`).
 */
export const LEGAL_IDENTITY: LegalIdentity = readLegalIdentity(process.env, true);
