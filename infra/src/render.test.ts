import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUDFLARE_RANGES } from './nginx/cloudflare.js';
import { apiKillTimeoutMs, APPS, NODE_KEEPALIVE_MS } from './pm2/ecosystem.js';
import { fileAt, RENDERED_NOTE, renderAll, writeRendered } from './render.js';
import { loadSite, parseSite, type Site } from './site.js';

const EXAMPLE = fileURLToPath(new URL('../site.example.json', import.meta.url));
let example: Site;
let dir: string;

beforeAll(async () => {
  example = await loadSite(EXAMPLE);
  dir = await mkdtemp(join(tmpdir(), 'gc-render-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const site = (changes: Partial<Site> = {}): Site => parseSite({ ...example, ...changes });
const text = (s: Site, path: string) => fileAt(renderAll(s), path).content;

interface EcosystemApp {
  name: string;
  instances: number;
  exec_mode: string;
  wait_ready?: boolean;
  kill_timeout: number;
  listen_timeout: number;
  env: Record<string, string | undefined>;
}

/** Loads a rendered ecosystem as PM2 does, with its run folder pointing into `dir`. */
async function loadEcosystem(s: Site, release?: object): Promise<EcosystemApp[]> {
  const run = await mkdtemp(join(dir, 'run-'));
  const withRun = { ...s, paths: { ...s.paths, run, secrets: join(run, 'secrets.env') } };
  if (release) await writeFile(join(run, 'release.json'), JSON.stringify(release));
  await writeFile(join(run, 'secrets.env'), 'DATABASE_URL=postgres://app@127.0.0.1:6432/shop\n');
  const file = join(run, 'ecosystem.config.cjs');
  await writeFile(file, text(withRun, 'etc/girlycrea/ecosystem.config.cjs'));
  return (createRequire(import.meta.url)(file) as { apps: EcosystemApp[] }).apps;
}

describe('the site file', () => {
  it('the example is valid, and a bad field is named', () => {
    expect(example.api.workers).toBeGreaterThan(0);
    expect(() => parseSite({ ...example, domain: 'Pas Un Domaine', api: { workers: 0 } })).toThrow(/domain[\s\S]*api\.workers/);
  });
});

describe('render', () => {
  it('every file says it is rendered, from which file', () => {
    for (const file of renderAll(example)) {
      if (file.path.endsWith('.json')) {
        // JSON has no comments: the note is a field.
        expect((JSON.parse(file.content) as { description?: string }).description, file.path).toContain(RENDERED_NOTE);
        continue;
      }
      // After a shebang line where the file is a script; `--` in SQL.
      expect(file.content, file.path).toMatch(/^(#!.+\n)?(#|\/\/|--) .+\n(#|\/\/|--) Rendered by `npm run infra -- render` from the site file/);
    }
  });

  it('writes the tree under the folder given', async () => {
    const out = join(dir, 'out');
    await writeRendered(out, renderAll(example));
    expect(await readFile(join(out, 'etc/nginx/conf.d/girlycrea.conf'), 'utf8')).toContain(`server_name ${example.domain};`);
  });

  it('PM2: the API in cluster mode with the site’s worker count, ready-gated, killed only after its drain', async () => {
    const apps = await loadEcosystem(site({ api: { ...example.api, workers: 5, shutdownTimeoutMs: 12_000 } }));
    const api = apps.find((app) => app.name === APPS.api)!;
    expect(api).toMatchObject({ exec_mode: 'cluster', instances: 5, wait_ready: true });
    expect(api.kill_timeout).toBe(apiKillTimeoutMs(site({ api: { ...example.api, shutdownTimeoutMs: 12_000 } })));
    expect(api.kill_timeout).toBeGreaterThan(12_000);
    expect(api.env).toMatchObject({ PORT: String(example.api.port), METRICS_PORT: String(example.api.metricsPort), JOBS: 'off', SHUTDOWN_TIMEOUT_MS: '12000' });
    // Secrets come from the root-only file, never from the rendered one.
    expect(api.env.DATABASE_URL).toBe('postgres://app@127.0.0.1:6432/shop');
    expect(text(example, 'etc/girlycrea/ecosystem.config.cjs')).not.toContain('postgres://');
  });

  it('PM2: the worker runs the jobs on its own metrics port; the storefront serves the deployed build', async () => {
    const apps = await loadEcosystem(example, { commit: 'abc123', webDistDir: '.next/green' });
    const worker = apps.find((app) => app.name === APPS.worker)!;
    expect(worker).toMatchObject({ exec_mode: 'fork', instances: 1 });
    expect(worker.env.METRICS_PORT).toBe(String(example.worker.metricsPort));
    expect(worker.env.JOBS).toBeUndefined();
    const web = apps.find((app) => app.name === APPS.web)!;
    expect(web.env).toMatchObject({ NEXT_DIST_DIR: '.next/green', PORT: String(example.web.port), API_ORIGIN: `http://127.0.0.1:${example.api.port}` });
    expect(apps.find((app) => app.name === APPS.api)!.env.RELEASE).toBe('abc123');
    // Before any deploy: the build `npm run build` made.
    expect((await loadEcosystem(example)).find((app) => app.name === APPS.web)!.env.NEXT_DIST_DIR).toBe('.next');
  });

  it('Nginx: one keep-alive upstream per PM2 app, idle sockets closed before Node and before a drain ends', () => {
    const conf = text(site({ api: { ...example.api, port: 4100 }, web: { ...example.web, port: 4200 } }), 'etc/nginx/conf.d/girlycrea.conf');
    expect(conf).toMatch(/upstream gc_api \{\s*server 127\.0\.0\.1:4100;/);
    expect(conf).toMatch(/upstream gc_web \{\s*server 127\.0\.0\.1:4200;/);
    const keepalives = [...conf.matchAll(/keepalive_timeout (\d+)s;/g)].map((match) => Number(match[1]) * 1000);
    expect(keepalives).toHaveLength(2);
    for (const ms of keepalives) {
      expect(ms).toBeLessThan(NODE_KEEPALIVE_MS);
      expect(ms).toBeLessThan(example.api.shutdownTimeoutMs);
    }
  });

  it('Nginx: HTTP/2 on 443 for IPv4 and IPv6 in production, on the given address in tests', () => {
    expect(text(example, 'etc/nginx/conf.d/girlycrea.conf')).toMatch(/listen 443 ssl http2;[^\n]*\n\s*listen \[::\]:443 ssl http2;/);
    const local = text(site({ nginx: { ...example.nginx, listenAddress: '127.0.0.1', httpsPort: 8443 } }), 'etc/nginx/conf.d/girlycrea.conf');
    expect(local).toContain('listen 127.0.0.1:8443 ssl http2;');
    expect(local).not.toContain('[::]');
    expect(local).toContain(`return 301 https://${example.domain}:8443$request_uri;`);
  });

  it('Nginx: trusts Cloudflare’s client IP header only when the site says Cloudflare is in front', () => {
    const direct = text(example, 'etc/nginx/conf.d/girlycrea.conf');
    expect(direct).not.toMatch(/set_real_ip_from|real_ip_header/);
    const behind = text(site({ cloudflare: true }), 'etc/nginx/conf.d/girlycrea.conf');
    for (const range of CLOUDFLARE_RANGES) expect(behind).toContain(`set_real_ip_from ${range};`);
    expect(behind).toContain('real_ip_header CF-Connecting-IP;');
  });

  it('Nginx: the CSP admits Plausible’s origin only when analytics are configured; brotli only when asked', () => {
    const headers = (s: Site) => text(s, 'etc/nginx/snippets/girlycrea-headers.conf');
    expect(headers(example)).not.toContain('plausible');
    const analytics = { plausibleDomain: 'girlycrea.fr', plausibleScriptUrl: 'https://stats.girlycrea.fr/js/script.js' };
    expect(headers(site({ analytics }))).toMatch(/script-src 'self' 'unsafe-inline' https:\/\/stats\.girlycrea\.fr;.*connect-src 'self' https:\/\/stats\.girlycrea\.fr/);
    expect(text(site({ nginx: { ...example.nginx, brotli: false } }), 'etc/nginx/conf.d/girlycrea.conf')).not.toContain('brotli on');
  });

  it('Nginx: cached pages are stored as the storefront gzips them, cached API answers uncompressed', () => {
    const conf = text(example, 'etc/nginx/conf.d/girlycrea.conf');
    const block = (start: string) => conf.slice(conf.indexOf(start), conf.indexOf('\n  }', conf.indexOf(start)));
    for (const web of ['location ~ ^/($|categorie/', 'location ^~ /_next/static/']) {
      expect(block(web), web).toContain('proxy_set_header Accept-Encoding gzip;');
      expect(block(web), web).toContain('gunzip on;');
    }
    for (const cached of ['location ~ ^/($|categorie/', 'location ^~ /_next/static/', 'location ^~ /api/products', 'location ^~ /api/categories']) {
      expect(block(cached), cached).toContain('open_file_cache max=');
    }
    for (const api of ['location ^~ /api/products', 'location ^~ /api/categories']) {
      expect(block(api), api).toContain('proxy_set_header Accept-Encoding "";');
      expect(block(api), api).not.toContain('gunzip');
    }
  });

  it('Nginx: every location that adds a header includes the security headers again', () => {
    const conf = text(example, 'etc/nginx/conf.d/girlycrea.conf');
    const locations = conf.split(/\n\s*location /).slice(1);
    for (const block of locations.filter((body) => body.includes('add_header'))) {
      expect(block, block.split('\n')[0]).toContain('snippets/girlycrea-headers.conf');
    }
  });
});
