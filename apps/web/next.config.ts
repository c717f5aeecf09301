import type { NextConfig } from 'next';
import { PHASE_PRODUCTION_BUILD } from 'next/constants';
import { API_ORIGIN, LEGAL_PLACEHOLDERS_ALLOWED, NEXT_DIST_DIR } from './lib/config';
import { readLegalIdentity } from './lib/legal-identity';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  distDir: NEXT_DIST_DIR,
  // `next dev` serves its scripts and hot reload to localhost only; a developer may as well open
  // http://127.0.0.1:3000 (pages would never become interactive there).
  allowedDevOrigins: ['localhost', '127.0.0.1'],
  async rewrites() {
    // The browser only ever talks to this origin: same-origin requests keep
    // the session cookie first-party and avoid CORS entirely.
    return [{ source: '/api/:path*', destination: `${API_ORIGIN}/api/:path*` }];
  },
  async redirects() {
    // Old links (`/?category=bijoux`) go to the category page.
    return [
      {
        source: '/',
        has: [{ type: 'query', key: 'category', value: '(?<category>[a-z0-9-]{1,100})' }],
        destination: '/categorie/:category',
        permanent: true,
      },
    ];
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), interest-cohort=()' },
        ],
      },
    ];
  },
  images: {
    // Product media is served by the API under /api/media (proxied by the
    // rewrite above). Only that prefix, without query strings, may go through
    // the optimizer, so it can't be abused to resize arbitrary local URLs.
    //
    // SVGs are NOT sent through the optimizer: next/image skips it for any
    // src ending in ".svg" (and <ProductImage> also sets `unoptimized`), so the
    // browser loads them straight from /api/media. We deliberately leave
    // `dangerouslyAllowSVG` off: vectors gain nothing from resizing, and it
    // would make the optimizer re-serve admin-uploaded SVG (which may contain
    // script) from our origin.
    // Images uploaded in the back office are served by the API under /api/uploads.
    localPatterns: [
      { pathname: '/api/media/**', search: '' },
      { pathname: '/api/uploads/**', search: '' },
    ],
  },
};

/** The config; a production build stops here, naming each missing SELLER_* variable, rather than ship placeholder legal pages. */
export default function config(phase: string): NextConfig {
  if (phase === PHASE_PRODUCTION_BUILD) readLegalIdentity(process.env, LEGAL_PLACEHOLDERS_ALLOWED);
  return nextConfig;
}
