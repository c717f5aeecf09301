import { execFileSync } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '@girlycrea/testkit';
import { REPO_ROOT } from './paths.js';
import { parseSite, type Site } from './site.js';

/**
 * A site whose every path lies under `dir` and every port is a free loopback port: the servers the
 * tests start from its rendered files touch nothing outside `dir`. `overrides` are merged per section.
 */
export async function testSite(dir: string, overrides: { [K in keyof Site]?: Partial<Site[K]> } = {}): Promise<Site> {
  const [api, metrics, web, worker, http, https, status, postgres, pgbouncer, redisState, redisCache, drill, smtp, dkim] = await Promise.all(
    Array.from({ length: 14 }, () => freePort()),
  );
  const paths = {
    app: REPO_ROOT.replace(/\/$/, ''),
    uploads: join(dir, 'uploads'),
    logs: join(dir, 'logs'),
    run: join(dir, 'run'),
    etc: join(dir, 'etc'),
    secrets: join(dir, 'secrets.env'),
    nginxCache: join(dir, 'nginx-cache'),
    nginxLogs: join(dir, 'nginx-logs'),
    nginxPid: join(dir, 'run', 'nginx.pid'),
    acme: join(dir, 'acme'),
  };
  // Nginx's workers run as www-data: they must reach the cache, uploads and ACME folders.
  await chmod(dir, 0o755);
  for (const path of [paths.uploads, paths.logs, paths.run, paths.nginxCache, paths.nginxLogs, paths.acme]) {
    await mkdir(path, { recursive: true, mode: 0o755 });
  }
  return parseSite({
    domain: 'boutique.test',
    adminEmail: 'ops@boutique.test',
    machine: { ramMb: 2048, cores: 2, ...overrides.machine },
    cloudflare: overrides.cloudflare ?? false,
    paths: { ...paths, ...overrides.paths },
    tls: { certificate: join(dir, 'tls', 'cert.pem'), key: join(dir, 'tls', 'key.pem'), ...overrides.tls },
    api: { workers: 2, port: api, metricsPort: metrics, shutdownTimeoutMs: 5000, ...overrides.api },
    web: { port: web, ...overrides.web },
    worker: { metricsPort: worker, ...overrides.worker },
    nginx: { listenAddress: '127.0.0.1', httpPort: http, httpsPort: https, statusPort: status, ...overrides.nginx },
    postgres: { port: postgres, dataDir: join(dir, 'postgres', 'data'), runDir: join(dir, 'postgres', 'run'), ...overrides.postgres },
    pgbouncer: { port: pgbouncer, runDir: join(dir, 'pgbouncer'), logFile: join(dir, 'pgbouncer', 'pgbouncer.log'), ...overrides.pgbouncer },
    redis: { statePort: redisState, cachePort: redisCache, dataDir: join(dir, 'redis'), logDir: join(dir, 'redis'), runDir: join(dir, 'redis', 'run'), ...overrides.redis },
    mail: {
      port: smtp,
      dkimPort: dkim,
      queueDirectory: join(dir, 'postfix-queue'),
      dataDirectory: join(dir, 'postfix-data'),
      logFile: join(dir, 'logs', 'postfix.log'),
      dkimPidFile: join(dir, 'run', 'opendkim.pid'),
      nodeBinary: process.execPath,
      ...overrides.mail,
    },
    ...(overrides.system ? { system: overrides.system } : {}),
    // A cluster the test creates itself (never the machine's): data, socket and every backup folder under dir.
    backup: {
      postgres: { dataDir: join(dir, 'pg', 'data'), port: postgres, socketDir: join(dir, 'pg', 'run') },
      local: { path: join(dir, 'backup', 'pgbackrest') },
      lockPath: join(dir, 'backup', 'lock'),
      logPath: join(dir, 'backup', 'log'),
      spoolPath: join(dir, 'backup', 'spool'),
      metricsDir: join(dir, 'backup', 'metrics'),
      drill: { dir: join(dir, 'backup', 'drill'), port: drill },
      borg: {
        repo: join(dir, 'backup', 'borg'),
        passphraseFile: join(dir, 'backup', 'borg.passphrase'),
        cacheDir: join(dir, 'backup', 'borg-cache'),
        paths: [join(dir, 'etc')],
        redisDir: join(dir, 'redis'),
      },
      ...overrides.backup,
    },
  });
}

/** A self-signed certificate for `site.domain` at the site's TLS paths (openssl, as on Debian). */
export async function makeCertificate(site: Site): Promise<void> {
  if (!site.tls) throw new Error('le site de test doit nommer ses fichiers TLS');
  await mkdir(join(site.tls.certificate, '..'), { recursive: true });
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', `/CN=${site.domain}`, '-addext', `subjectAltName=DNS:${site.domain}`,
    '-keyout', site.tls.key, '-out', site.tls.certificate,
  ], { stdio: 'ignore' });
}

export { startDataTier, startRedisTier, type DataTier, type RedisTier } from './data-tier.js';
export { pgProgram } from './postgres/cluster.js';
