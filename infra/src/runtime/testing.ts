import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSmtpSink, type SmtpSink } from '@girlycrea/mailer/testing';
import { createTestDatabase, eventually, startRedisServer, TEST_SELLER, waitForPort, type TestDatabase, type TestDbEnv } from '@girlycrea/testkit';
import pg from 'pg';
import { REPO_ROOT } from '../paths.js';
import { renderAll, writeRendered } from '../render.js';
import type { Site } from '../site.js';
import { makeCertificate, testSite } from '../testing.js';
import { APPS } from '../pm2/ecosystem.js';
import { capture } from './exec.js';
import { pm2List, type Pm2Process } from './pm2.js';
import type { Target } from './load.js';

/** A command's outcome, output kept for assertions and failure messages. */
export interface CommandResult {
  code: number;
  output: string;
}

/** The shop as it runs on a VPS, on loopback: rendered configs, `npm start` (PM2), Nginx, `npm run deploy`. */
export interface VpsUnderTest {
  dir: string;
  site: Site;
  siteFile: string;
  /** Nginx's TLS listener, for `requestOver`. */
  target: Target;
  /** The shop's database, its Redis and the SMTP sink its worker sends to. */
  database: TestDatabase;
  sql(text: string, params?: unknown[]): Promise<pg.QueryResult>;
  sink: SmtpSink;
  /** Secrets the processes read (the VPS's root-only env file), rewritten by `setSecrets`. */
  secrets: Record<string, string>;
  setSecrets(values: Record<string, string | undefined>): Promise<void>;
  /** `npm start --site …`, in the background; resolves once every API worker is online and the storefront answers. */
  startShop(): Promise<void>;
  /** SIGTERM to `npm start`, as systemd sends; resolves with its exit code. */
  stopShop(): Promise<number>;
  /** `npm run deploy -- --site …`. */
  deploy(env?: Record<string, string>): Promise<CommandResult>;
  /** The API workers PM2 runs now. */
  apiWorkers(): Promise<Pm2Process[]>;
  nginxTest(): Promise<CommandResult>;
  startNginx(): Promise<void>;
  nginxErrorLog(): Promise<string>;
  close(): Promise<void>;
}

/** The environment of the operator's commands: a shell's, without the test runner's variables. */
function operatorEnv(site: Site, extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR'];
  const inherited = Object.fromEntries(keep.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
  return { ...inherited, SHOP_URL: `https://${site.domain}:${site.nginx.httpsPort}`, ...extra };
}

async function runNpm(args: string[], env: Record<string, string>): Promise<CommandResult> {
  const { code, stdout, stderr } = await capture('npm', args, { cwd: REPO_ROOT, env, check: false });
  return { code, output: `${stdout}\n${stderr}` };
}

/**
 * Sets up everything once: a database cloned from the seeded template (stock raised so a load never
 * runs out), a private Redis, an SMTP sink, a self-signed certificate and the rendered configs.
 */
export async function prepareVps(testDb: TestDbEnv, secrets: Record<string, string> = {}): Promise<VpsUnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'gc-vps-'));
  const [database, redis, sink] = await Promise.all([createTestDatabase(testDb), startRedisServer(), startSmtpSink()]);
  const db = new pg.Pool({ connectionString: database.directUrl, max: 2 });
  await db.query('UPDATE variants SET stock = 1000000');
  const site = await testSite(dir);
  await makeCertificate(site);
  await writeRendered(dir, renderAll(site));
  const siteFile = join(dir, 'site.json');
  await writeFile(siteFile, JSON.stringify(site, null, 2));

  const values: Record<string, string> = {
    DATABASE_URL: database.pooledUrl,
    DATABASE_DIRECT_URL: database.directUrl,
    REDIS_URL: redis.url,
    // The VPS's two instances are proven in postgres/servers.test.ts; here a second logical database.
    REDIS_CACHE_URL: `${redis.url}/1`,
    SMTP_URL: sink.url,
    REVALIDATE_SECRET: randomBytes(16).toString('hex'),
    TOTP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    // A production build refuses legal pages without the seller's identity.
    ...TEST_SELLER,
    ...secrets,
  };
  const writeSecrets = async () => {
    await writeFile(site.paths.secrets, Object.entries(values).map(([name, value]) => `${name}=${value}\n`).join(''), { mode: 0o600 });
  };
  await writeSecrets();

  let shop: ChildProcess | undefined;
  let shopExit: Promise<number> | undefined;
  let nginx: ChildProcess | undefined;
  const env = operatorEnv(site);
  const vps: VpsUnderTest = {
    dir,
    site,
    siteFile,
    target: { host: '127.0.0.1', port: site.nginx.httpsPort, servername: site.domain },
    database,
    sql: (text, params) => db.query(text, params),
    sink,
    secrets: values,
    async setSecrets(changes) {
      for (const [name, value] of Object.entries(changes)) {
        if (value === undefined) delete values[name];
        else values[name] = value;
      }
      await writeSecrets();
    },
    async startShop() {
      const child = spawn('npm', ['start', '--', '--site', siteFile], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
      shop = child;
      shopExit = new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
      const ready = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
      await eventually(
        async () => {
          if (child.exitCode !== null) throw new Error(`npm start s’est arrêté (code ${child.exitCode}) :\n${output}`);
          if (!(await ready(`http://127.0.0.1:${site.api.port}/api/health`)) || !(await ready(`http://127.0.0.1:${site.web.port}/`))) return false;
          // The first API worker answers before PM2 has started the others (wait_ready, one at a time).
          return (await vps.apiWorkers()).length === site.api.workers;
        },
        180_000,
        500,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${output}`);
      });
    },
    async stopShop() {
      if (!shop || !shopExit) return 0;
      shop.kill('SIGTERM');
      const code = await shopExit;
      shop = undefined;
      return code;
    },
    deploy: (extra = {}) => runNpm(['run', 'deploy', '--', '--site', siteFile], { ...env, ...extra }),
    async apiWorkers() {
      return (await pm2List(site, env)).filter((proc) => proc.name === APPS.api && proc.pm2_env?.status === 'online');
    },
    async nginxTest() {
      const { code, stdout, stderr } = await capture('nginx', nginxArgs(dir, '-t'), { check: false });
      return { code, output: `${stdout}\n${stderr}` };
    },
    async startNginx() {
      nginx = spawn('nginx', nginxArgs(dir, '-g', 'daemon off;'), { stdio: 'ignore' });
      await waitForPort(site.nginx.httpsPort);
    },
    nginxErrorLog: () => readFile(join(site.paths.nginxLogs, 'error.log'), 'utf8').catch(() => ''),
    async close() {
      await vps.stopShop();
      if (nginx && nginx.exitCode === null) {
        const stopped = new Promise((resolve) => nginx!.once('exit', resolve));
        nginx.kill('SIGQUIT');
        await stopped;
      }
      await Promise.allSettled([db.end(), redis.stop(), sink.stop()]);
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return vps;
}

function nginxArgs(dir: string, ...rest: string[]): string[] {
  return ['-e', join(dir, 'nginx-logs', 'startup.log'), '-c', join(dir, 'etc/nginx/nginx.conf'), ...rest];
}

