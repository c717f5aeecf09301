import { join } from 'node:path';
import type { RenderedFile } from '../render.js';
import { header } from '../render.js';
import { tlsFiles, type Site } from '../site.js';
import { CLOUDFLARE_RANGES } from './cloudflare.js';

/** The session cookie the API sets (apps/api/src/http/session.ts): its presence bypasses the micro-cache. */
export const SESSION_COOKIE = 'sid';

/**
 * Edge rate limits per client IP, answered 429 with the API's JSON error shape. The API keeps its own
 * (per e-mail, per session); these stop floods before they cost a Node process anything.
 */
export const EDGE_LIMITS = {
  login: { rate: '10r/m', burst: 10 },
  register: { rate: '5r/m', burst: 5 },
  reset: { rate: '5r/m', burst: 5 },
  checkout: { rate: '20r/m', burst: 10 },
  cart: { rate: '120r/m', burst: 60 },
} as const;

/** Mozilla's "intermediate" profile for OpenSSL 3.0 (TLS 1.2 + 1.3), without the DHE suites (no dhparam file to manage). */
const MOZILLA_INTERMEDIATE_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/**
 * The storefront's Content-Security-Policy. Next inlines its bootstrap scripts and styles in pages
 * that are cached (ISR), so per-request nonces are not possible: scripts come from this origin or
 * inline, nothing else; no plugin, no framing, forms post only here (Stripe Checkout is a redirect).
 */
export function contentSecurityPolicy(site: Site): string {
  const analytics = site.analytics ? ` ${new URL(site.analytics.plausibleScriptUrl).origin}` : '';
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${analytics}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${analytics}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

/** The JSON body of an edge 429, in the API's error shape (a JSON string, quotes escaped for Nginx). */
const RATE_LIMITED_BODY = JSON.stringify({
  error: { code: 'rate_limited', message: 'Trop de tentatives. Réessayez dans une minute.' },
});
const NOT_FOUND_BODY = JSON.stringify({ error: { code: 'not_found', message: 'Ressource introuvable.' } });

/** `etc/nginx/nginx.conf`, the shop's site, and the header snippet every location includes. */
export function renderNginx(site: Site): RenderedFile[] {
  const etc = join(site.paths.etc, 'nginx');
  const { nginx } = site;
  const at = (port: number) => (nginx.listenAddress ? `${nginx.listenAddress}:${port}` : String(port));
  const v6 = (line: string) => (nginx.listenAddress ? '' : `\n  ${line}`);
  const httpsSuffix = nginx.httpsPort === 443 ? '' : `:${nginx.httpsPort}`;
  const tls = tlsFiles(site);
  const cache = site.paths.nginxCache;
  const micro = `${nginx.microCacheSeconds}s`;

  const main = `${header('#', 'Nginx main configuration (replaces Debian\'s nginx.conf).')}user ${site.system.nginxUser}; # site.system.nginxUser
worker_processes ${site.machine.cores}; # site.machine.cores
worker_rlimit_nofile 65535;
pid ${site.paths.nginxPid}; # site.paths.nginxPid
error_log ${site.paths.nginxLogs}/error.log warn; # site.paths.nginxLogs
# Debian's dynamic modules (brotli comes from libnginx-mod-http-brotli-*).
include /etc/nginx/modules-enabled/*.conf;

events {
  worker_connections 4096;
}

http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  server_tokens off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65s;
  types_hash_max_size 2048;
  client_body_temp_path ${cache}/client_body; # site.paths.nginxCache
  proxy_temp_path ${cache}/proxy;
  fastcgi_temp_path ${cache}/fastcgi;
  uwsgi_temp_path ${cache}/uwsgi;
  scgi_temp_path ${cache}/scgi;

  log_format gc_json escape=json '{"time":"$time_iso8601","ip":"$remote_addr","method":"$request_method",'
    '"uri":"$request_uri","status":$status,"bytes":$body_bytes_sent,"ms":$request_time,'
    '"upstream_ms":"$upstream_response_time","cache":"$upstream_cache_status","ua":"$http_user_agent"}';
  # Written in 64 KB batches (at least every second), not one write per request.
  access_log ${site.paths.nginxLogs}/access.log gc_json buffer=64k flush=1s; # site.paths.nginxLogs

  include ${etc}/conf.d/*.conf; # site.paths.etc
}
`;

  const realIp = site.cloudflare
    ? `# Cloudflare sits in front (site.cloudflare): the client is in CF-Connecting-IP, but only from its ranges.
${CLOUDFLARE_RANGES.map((range) => `set_real_ip_from ${range};`).join('\n')}
real_ip_header CF-Connecting-IP;
`
    : '# No CDN in front (site.cloudflare = false): $remote_addr is the client; forwarded headers are ignored.\n';

  const proxyCommon = `proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_set_header X-Real-IP $remote_addr;
    # Replace (never append to) what the client sent: the API trusts this one hop.
    proxy_set_header X-Forwarded-For $remote_addr;
    proxy_set_header X-Forwarded-Proto $scheme;
    # Traces start here: a client cannot join or steer ours.
    proxy_set_header traceparent "";
    proxy_set_header tracestate "";`;

  // One micro-cache policy for every shared answer: anonymous GETs only, a few seconds, one fill at a time.
  // The storefront compresses (Next's gzip): its answers are stored gzipped, so a hit costs no compression
  // and clients that refuse gzip get them unzipped. The API does not: Nginx compresses its answers.
  const microCache = (zoneTtl: string, upstream: 'web' | 'api') => `proxy_cache gc_micro;
    proxy_cache_key $scheme$host$request_uri;
    proxy_cache_valid 200 301 404 ${zoneTtl};
    proxy_cache_lock on;
    proxy_cache_lock_timeout 5s;
    proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;
    proxy_cache_background_update on;
    proxy_cache_bypass $gc_no_share;
    proxy_no_cache $gc_no_share $gc_private_answer;
    # The TTL is ours; answers with Set-Cookie are never stored (Nginx's default, kept).
    proxy_ignore_headers Cache-Control Expires;
    # A hit reuses the open cache file instead of open + fstat + close (a third of a hit's system
    # calls). Safe with the cache: a refreshed entry has a new inode, which Nginx checks first.
    open_file_cache max=1000 inactive=20s;
    ${
      upstream === 'web'
        ? `# Stored as Next gzips it once per fill; unzipped for the rare client without gzip.
    proxy_set_header Accept-Encoding gzip;
    gunzip on;`
        : `# Stored uncompressed; Nginx compresses for each client.
    proxy_set_header Accept-Encoding "";`
    }`;

  const limited = (zone: keyof typeof EDGE_LIMITS) => `limit_req zone=gc_${zone} burst=${EDGE_LIMITS[zone].burst} nodelay;`;

  const siteConf = `${header('#', `Nginx site of ${site.domain}: TLS, security headers, micro-cache, edge rate limits.`)}${realIp}
# Who may share a cached answer: nobody with a session cookie, nothing but GET/HEAD, no RSC navigation.
map $http_cookie $gc_has_session {
  default 0;
  "~(^|;)\\s*${SESSION_COOKIE}=" 1;
}
map $request_method $gc_unsafe_method {
  GET 0;
  HEAD 0;
  default 1;
}
map "$gc_has_session$gc_unsafe_method$http_rsc" $gc_no_share {
  "00" 0;
  default 1;
}
# An answer marked private or no-store is never shared, whatever the path.
map $upstream_http_cache_control $gc_private_answer {
  "~*(private|no-store)" 1;
  default 0;
}
map $upstream_cache_status $gc_cache_status {
  "" NONE;
  default $upstream_cache_status;
}
# Cart writes are limited; reading the cart is not.
map $request_method $gc_cart_write_key {
  GET "";
  HEAD "";
  default $binary_remote_addr;
}

limit_req_zone $binary_remote_addr zone=gc_login:10m rate=${EDGE_LIMITS.login.rate};
limit_req_zone $binary_remote_addr zone=gc_register:10m rate=${EDGE_LIMITS.register.rate};
limit_req_zone $binary_remote_addr zone=gc_reset:10m rate=${EDGE_LIMITS.reset.rate};
limit_req_zone $binary_remote_addr zone=gc_checkout:10m rate=${EDGE_LIMITS.checkout.rate};
limit_req_zone $gc_cart_write_key zone=gc_cart:10m rate=${EDGE_LIMITS.cart.rate};
limit_req_status 429;
limit_req_log_level warn;

proxy_cache_path ${cache}/micro levels=1:2 keys_zone=gc_micro:10m max_size=512m inactive=10m use_temp_path=off; # site.paths.nginxCache

# One keep-alive pool per PM2 app (cluster mode: every worker shares the port). Idle upstream
# sockets close after ${nginx.upstreamKeepaliveSeconds}s, before Node's 65 s, so Nginx never reuses one Node has closed.
upstream gc_api {
  server 127.0.0.1:${site.api.port}; # site.api.port
  keepalive 64;
  keepalive_timeout ${nginx.upstreamKeepaliveSeconds}s; # site.nginx.upstreamKeepaliveSeconds
}
upstream gc_web {
  server 127.0.0.1:${site.web.port}; # site.web.port
  keepalive 64;
  keepalive_timeout ${nginx.upstreamKeepaliveSeconds}s; # site.nginx.upstreamKeepaliveSeconds
}

gzip on;
gzip_vary on;
gzip_proxied any;
gzip_comp_level 5;
gzip_min_length 512;
gzip_types text/plain text/css text/xml application/json application/javascript application/xml application/rss+xml image/svg+xml text/x-component application/manifest+json;
${
  nginx.brotli
    ? `# site.nginx.brotli: Debian's libnginx-mod-http-brotli-filter is installed.
brotli on;
brotli_comp_level 5;
brotli_min_length 512;
brotli_types text/plain text/css text/xml application/json application/javascript application/xml application/rss+xml image/svg+xml text/x-component application/manifest+json;
`
    : '# site.nginx.brotli = false: gzip only.\n'
}
server {
  listen ${at(nginx.httpPort)}; # site.nginx.listenAddress, site.nginx.httpPort${v6(`listen [::]:${nginx.httpPort};`)}
  server_name ${site.domain}; # site.domain

  location ^~ /.well-known/acme-challenge/ {
    root ${site.paths.acme}; # site.paths.acme
  }
  location / {
    return 301 https://${site.domain}${httpsSuffix}$request_uri;
  }
}

server {
  listen ${at(nginx.httpsPort)} ssl http2; # site.nginx.listenAddress, site.nginx.httpsPort${v6(`listen [::]:${nginx.httpsPort} ssl http2;`)}
  server_name ${site.domain}; # site.domain

  ssl_certificate ${tls.certificate}; # site.tls.certificate
  ssl_certificate_key ${tls.key}; # site.tls.key
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_ciphers ${MOZILLA_INTERMEDIATE_CIPHERS};
  ssl_prefer_server_ciphers off;
  ssl_session_timeout 1d;
  ssl_session_cache shared:gc_tls:10m;
  ssl_session_tickets off;
  # OCSP stapling where the certificate names a responder (Let's Encrypt certificates no longer do).
  ssl_stapling on;
  ssl_stapling_verify on;
  resolver ${nginx.resolvers.join(' ')} valid=300s; # site.nginx.resolvers
  resolver_timeout 5s;

  client_max_body_size ${nginx.maxBodyMb}m; # site.nginx.maxBodyMb

  # Our headers replace the apps' own, so each appears once.
  proxy_hide_header Strict-Transport-Security;
  proxy_hide_header Content-Security-Policy;
  proxy_hide_header X-Frame-Options;
  proxy_hide_header X-Content-Type-Options;
  proxy_hide_header Referrer-Policy;
  proxy_hide_header Permissions-Policy;
  proxy_hide_header Cross-Origin-Opener-Policy;
  proxy_hide_header X-Powered-By;
  include ${etc}/snippets/girlycrea-headers.conf;

  error_page 429 = @rate_limited;
  location @rate_limited {
    include ${etc}/snippets/girlycrea-headers.conf;
    add_header Retry-After 60 always;
    default_type application/json;
    return 429 '${RATE_LIMITED_BODY}';
  }

  # Never public: metrics have their own loopback ports, dev tools and the revalidation hook are internal.
  location = /metrics {
    default_type application/json;
    return 404 '${NOT_FOUND_BODY}';
  }
  location ^~ /api/dev/ {
    default_type application/json;
    return 404 '${NOT_FOUND_BODY}';
  }
  location ^~ /revalidate {
    default_type application/json;
    return 404 '${NOT_FOUND_BODY}';
  }

  location = /api/auth/login {
    ${limited('login')}
    ${proxyCommon}
    proxy_pass http://gc_api;
  }
  location = /api/auth/register {
    ${limited('register')}
    ${proxyCommon}
    proxy_pass http://gc_api;
  }
  location ^~ /api/auth/password-reset {
    ${limited('reset')}
    ${proxyCommon}
    proxy_pass http://gc_api;
  }
  location ^~ /api/checkout {
    ${limited('checkout')}
    ${proxyCommon}
    proxy_pass http://gc_api;
  }
  location ^~ /api/cart {
    ${limited('cart')}
    ${proxyCommon}
    proxy_pass http://gc_api;
  }

  # The catalog: shared by every anonymous visitor for ${micro}.
  location ^~ /api/products {
    ${microCache(micro, 'api')}
    ${proxyCommon}
    proxy_pass http://gc_api;
  }
  location ^~ /api/categories {
    ${microCache(micro, 'api')}
    ${proxyCommon}
    proxy_pass http://gc_api;
  }
  location ^~ /api/media/ {
    ${microCache('1h', 'api')}
    ${proxyCommon}
    proxy_pass http://gc_api;
  }
  location /api/ {
    ${proxyCommon}
    proxy_pass http://gc_api;
  }

  # Uploaded images, straight from disk.
  location ^~ /uploads/ {
    alias ${site.paths.uploads}/; # site.paths.uploads
    expires 30d;
    add_header Cache-Control "public" always;
    include ${etc}/snippets/girlycrea-headers.conf;
  }

  # Next's build files carry their hash in the name: immutable for a year.
  location ^~ /_next/static/ {
    ${microCache('1d', 'web')}
    ${proxyCommon}
    proxy_pass http://gc_web;
    add_header Cache-Control "public, max-age=31536000, immutable" always;
    include ${etc}/snippets/girlycrea-headers.conf;
  }

  # Pages every visitor sees alike: home, categories, search, products.
  location ~ ^/($|categorie/|produits/|recherche$) {
    ${microCache(micro, 'web')}
    ${proxyCommon}
    proxy_pass http://gc_web;
  }
  # Everything else (cart, checkout, account, orders): never shared.
  location / {
    ${proxyCommon}
    proxy_pass http://gc_web;
  }
}

# stub_status for the Prometheus exporter, on loopback only.
server {
  listen 127.0.0.1:${nginx.statusPort}; # site.nginx.statusPort
  access_log off;
  location = /stub_status {
    stub_status;
  }
  location / {
    return 404;
  }
}
`;

  const headers = `${header('#', 'Security headers on every answer (add_header in a location replaces the server\'s: include this there).')}add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;
add_header Content-Security-Policy "${contentSecurityPolicy(site)}" always;
add_header X-Content-Type-Options "nosniff" always;
add_header X-Frame-Options "DENY" always;
add_header Referrer-Policy "strict-origin-when-cross-origin" always;
add_header Permissions-Policy "camera=(), microphone=(), geolocation=(), interest-cohort=()" always;
add_header Cross-Origin-Opener-Policy "same-origin" always;
add_header X-Cache-Status $gc_cache_status always;
`;

  return [
    { path: 'etc/nginx/nginx.conf', content: main },
    { path: 'etc/nginx/conf.d/girlycrea.conf', content: siteConf },
    { path: 'etc/nginx/snippets/girlycrea-headers.conf', content: headers },
  ];
}
