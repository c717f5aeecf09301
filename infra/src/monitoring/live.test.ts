// The monitoring stack as the VPS runs it: Prometheus, Alertmanager and Debian's exporters started from the
// rendered files, scraping a real PM2 cluster of the API (2 workers) and the worker process; then an API
// outage goes all the way to an alert e-mail.
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSmtpSink, type SmtpSink } from '@girlycrea/mailer/testing';
import { simpleParser } from 'mailparser';
import { createTestDatabase, eventually, freePort, pgbouncerBinary, startRedisServer, waitForPort, type TestDatabase, type TestRedisServer } from '@girlycrea/testkit';
import { startStripeStandIn, type StripeStandIn } from '@girlycrea/testkit/stripe';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../paths.js';
import { APPS } from '../pm2/ecosystem.js';
import { fileAt, renderAll, writeRendered, type RenderedFile } from '../render.js';
import { capture } from '../runtime/exec.js';
import { PM2_BIN } from '../runtime/pm2.js';
import { apiMetricsPorts, parseSite, type Site } from '../site.js';
import { makeCertificate, testSite } from '../testing.js';
import { dashboardQueries } from './dashboards.js';
import { argsOf, variableOf } from './render.js';

let dir: string;
let site: Site;
let files: RenderedFile[];
let database: TestDatabase;
let sink: SmtpSink;
let redisServer: TestRedisServer;
let stripe: StripeStandIn;
let pm2Home: string;
const daemons: { name: string; child: ChildProcess }[] = [];

/** Starts a server as its systemd unit would (same binary, rendered flags), logging to dir/logs/<name>.log. */
async function startDaemon(name: string, command: string, args: string[], port: number, env: Record<string, string> = {}): Promise<void> {
  const log = createWriteStream(join(dir, 'logs', `${name}.log`));
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  daemons.push({ name, child });
  await waitForPort(port, 30_000).catch((error: Error) => {
    throw new Error(`${name} n'a pas démarré : ${error.message}\n${readFileSync(join(dir, 'logs', `${name}.log`), 'utf8').slice(-2000)}`);
  });
}

const defaultsOf = (service: string) => fileAt(files, `etc/default/${service}`).content;
const pm2 = (args: string[]) => capture(process.execPath, [PM2_BIN, ...args], { env: { ...process.env, PM2_HOME: pm2Home } as Record<string, string> });

/** A PgBouncer for the API whose console the pgbouncer exporter may read (stats_users). */
async function startPgBouncer(port: number, databaseName: string): Promise<void> {
  const folder = join(dir, 'pgbouncer');
  await mkdir(folder, { recursive: true });
  const ini = join(folder, 'pgbouncer.ini');
  await writeFile(join(folder, 'userlist.txt'), '"postgres" ""\n');
  await writeFile(
    ini,
    [
      '[databases]',
      `${databaseName} = host=127.0.0.1 port=5432`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${folder}`,
      'auth_type = trust',
      `auth_file = ${join(folder, 'userlist.txt')}`,
      'pool_mode = transaction',
      'default_pool_size = 10',
      'stats_users = postgres',
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // PgBouncer refuses to run as root: it drops to postgres, who must read its files.
    const uid = Number((await capture('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await capture('id', ['-g', 'postgres'])).stdout.trim());
    for (const path of [folder, ini, join(folder, 'userlist.txt')]) chownSync(path, uid, gid);
  }
  await startDaemon('pgbouncer', pgbouncerBinary(), asRoot ? ['-u', 'postgres', ini] : [ini], port);
}

async function prometheus<T>(path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${site.monitoring.prometheusPort}${path}`);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${path} : ${body.error ?? res.status}`);
  return body.data;
}

interface Target {
  labels: { job: string; instance: string };
  health: string;
  lastError: string;
}

const targets = async () => (await prometheus<{ activeTargets: Target[] }>('/api/v1/targets')).activeTargets;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gc-live-monitoring-'));
  await chmod(dir, 0o755);
  await mkdir(join(dir, 'logs'), { recursive: true });
  // PM2 runs dist/: build the API and its packages (turbo replays its cache when nothing changed).
  await capture('npx', ['turbo', 'run', 'build', '--filter=@girlycrea/api...', '--output-logs=errors-only'], { cwd: REPO_ROOT });
  expect(existsSync(join(REPO_ROOT, 'apps/api/dist/worker-entry.js'))).toBe(true);

  const base = await testSite(dir, { nginx: { brotli: false } });
  const [prometheusPort, alertmanagerPort, node, postgres, pgbouncer, redis, nginx, blackbox, bouncer] = (await Promise.all(Array.from({ length: 9 }, () => freePort()))) as [
    number, number, number, number, number, number, number, number, number,
  ];
  sink = await startSmtpSink();
  stripe = await startStripeStandIn();
  database = await createTestDatabase(inject('testDb'));
  // A Redis of its own: the shared one may hold another run's cached catalog (other ids).
  redisServer = await startRedisServer();
  const redisUrl = redisServer.url;
  site = parseSite({
    ...base,
    monitoring: {
      prometheusPort,
      alertmanagerPort,
      exporters: { node, postgres, pgbouncer, redis, nginx, blackbox },
      dataDir: join(dir, 'prometheus'),
      textfileDir: join(dir, 'textfile'),
      postgresDsn: `postgresql://postgres@127.0.0.1:5432/${database.name}?sslmode=disable`,
      pgbouncer: { port: bouncer, user: 'postgres' },
      redis: [{ role: 'state', url: redisUrl }],
      publicUrl: `https://127.0.0.1:${base.nginx.httpsPort}`,
      smtp: { host: '127.0.0.1', port: sink.port },
      scrapeIntervalSeconds: 1,
      groupWaitSeconds: 2,
      targetDownForSeconds: 2,
    },
  });
  files = renderAll(site);
  await writeRendered(dir, files);
  await makeCertificate(site);
  await mkdir(site.monitoring.textfileDir, { recursive: true });
  pm2Home = join(dir, 'pm2');

  await startPgBouncer(bouncer, database.name);
  // The secrets file the ecosystem reads, as on the VPS.
  await writeFile(
    site.paths.secrets,
    [
      `DATABASE_URL=postgres://postgres@127.0.0.1:${bouncer}/${database.name}`,
      `REDIS_URL=${redisUrl}`,
      `REDIS_CACHE_URL=${redisUrl}`,
      `TOTP_ENCRYPTION_KEY=${randomBytes(32).toString('base64')}`,
      `SMTP_URL=${sink.url}`,
      // Payments go to a Stripe stand-in (a remote third party), which posts its webhooks to the API.
      'STRIPE_SECRET_KEY=sk_test_boutique',
      'STRIPE_WEBHOOK_SECRET=whsec_boutique',
      `STRIPE_API_BASE=${stripe.url}`,
      'LOG_LEVEL=warn',
      'EXPIRE_ORDERS_INTERVAL_MS=1000',
      `DATA_DIR=${join(dir, 'data')}`,
      '',
    ].join('\n'),
  );
  stripe.setWebhook(`http://127.0.0.1:${site.api.port}/api/payments/stripe/webhook`, 'whsec_boutique');
  const ecosystem = join(dir, 'etc/girlycrea/ecosystem.config.cjs');
  const started = await pm2(['start', ecosystem, '--only', `${APPS.api},${APPS.worker}`]);
  expect(started.code, started.stderr).toBe(0);
  await Promise.all([...apiMetricsPorts(site), site.worker.metricsPort, site.api.port].map((port) => waitForPort(port, 60_000))).catch(async (error: Error) => {
    const tail = async (file: string) => (await readFile(join(site.paths.logs, file), 'utf8').catch(() => '')).slice(-1500);
    throw new Error(`${error.message}\n${(await pm2(['jlist'])).stdout.slice(0, 500)}\napi:\n${await tail('api.error.log')}\nworker:\n${await tail('worker.error.log')}`);
  });

  await startDaemon('nginx', '/usr/sbin/nginx', ['-c', join(dir, 'etc/nginx/nginx.conf'), '-g', 'daemon off;'], site.nginx.statusPort);
  await startDaemon('node-exporter', 'prometheus-node-exporter', argsOf(defaultsOf('prometheus-node-exporter')), node);
  await startDaemon('postgres-exporter', 'prometheus-postgres-exporter', argsOf(defaultsOf('prometheus-postgres-exporter')), postgres, {
    DATA_SOURCE_NAME: variableOf(defaultsOf('prometheus-postgres-exporter'), 'DATA_SOURCE_NAME'),
  });
  await startDaemon('redis-exporter', 'prometheus-redis-exporter', argsOf(defaultsOf('prometheus-redis-exporter')), redis);
  await startDaemon('nginx-exporter', 'prometheus-nginx-exporter', argsOf(defaultsOf('prometheus-nginx-exporter')), nginx);
  await startDaemon('blackbox-exporter', 'prometheus-blackbox-exporter', argsOf(defaultsOf('prometheus-blackbox-exporter')), blackbox);
  // As its rendered systemd unit runs it: the infra CLI on the site file.
  const siteFile = join(dir, 'site.json');
  await writeFile(siteFile, JSON.stringify(site));
  await startDaemon('pgbouncer-exporter', process.execPath, ['--import', 'tsx', '--conditions=development', join(REPO_ROOT, 'infra/src/cli.ts'), 'pgbouncer-exporter', '--site', siteFile], pgbouncer);
  await startDaemon('alertmanager', 'prometheus-alertmanager', argsOf(defaultsOf('prometheus-alertmanager')), alertmanagerPort);
  await startDaemon('prometheus', 'prometheus', argsOf(defaultsOf('prometheus')), prometheusPort);
}, 300_000);

afterAll(async () => {
  if (pm2Home) await pm2(['kill']).catch(() => undefined);
  for (const { child } of daemons.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => (clearTimeout(timer), resolve()));
      child.kill('SIGTERM');
    });
  }
  await sink?.stop();
  await stripe?.close();
  await redisServer?.stop();
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

/** A short visit of the shop through the API's one cluster port: pages read, an order placed and paid, wrong passwords. */
async function shopLoad(): Promise<void> {
  const api = `http://127.0.0.1:${site.api.port}/api`;
  let cookie = '';
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(api + path, {
      method,
      headers: { 'content-type': 'application/json', cookie, 'x-forwarded-for': '10.1.2.3', ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('sid='));
    if (set) cookie = set.split(';')[0]!;
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const list = await call('GET', '/products?limit=5');
  expect(list.status).toBe(200);
  const slugs = (list.body.items as { slug: string }[]).map((item) => item.slug);
  for (let i = 0; i < 20; i += 1) expect((await call('GET', `/products/${slugs[i % slugs.length]}`)).status).toBe(200);
  expect((await call('GET', '/products/introuvable')).status).toBe(404);
  await call('GET', '/categories');
  const csrf = (await call('GET', '/csrf')).body.token as string;
  const variants = await Promise.all(slugs.map(async (slug) => (await call('GET', `/products/${slug}`)).body.variants as { id: string; inStock: boolean }[]));
  const variant = variants.flat().find((candidate) => candidate.inStock)!;
  const added = await call('POST', '/cart/items', { variantId: variant.id, quantity: 1 }, { 'x-csrf-token': csrf });
  expect(added.status, JSON.stringify(added.body)).toBe(200);
  const order = await call(
    'POST',
    '/checkout',
    {
      email: 'lea.martin@exemple.fr',
      shippingAddress: { name: 'Léa Martin', line1: '12 rue des Lilas', postalCode: '69003', city: 'Lyon', country: 'FR', phone: '06 12 34 56 78' },
      shippingMethodId: 'colissimo',
      paymentProvider: 'stripe',
    },
    { 'x-csrf-token': csrf, 'idempotency-key': `live-${Date.now()}` },
  );
  expect(order.status).toBe(201);
  // Paid on Stripe's hosted page: its webhook marks the order paid.
  const [session] = [...stripe.sessions.keys()];
  await stripe.pay(session!);
  // An empty cart now: a failed checkout.
  expect((await call('POST', '/checkout', {}, { 'x-csrf-token': csrf, 'idempotency-key': `vide-${Date.now()}` })).status).toBeGreaterThanOrEqual(400);
  for (let i = 0; i < 6; i += 1) await call('POST', '/auth/login', { email: 'personne@exemple.fr', password: 'mauvais-mot-de-passe' }, { 'x-csrf-token': csrf });
}

describe('the monitoring stack, live', () => {
  it('scrapes every target (both PM2 API workers, the worker process, every exporter), and every dashboard query returns data after a short load', async () => {
    // Both API workers, the worker, Prometheus, Alertmanager, node/postgres/pgbouncer/nginx, each Redis, two blackbox probes.
    const expected = site.api.workers + 1 + 2 + 4 + site.monitoring.redis.length + 2;
    await eventually(async () => {
      const all = await targets();
      return all.length === expected && all.every((target) => target.health === 'up');
    }, 60_000, 500).catch(async () => {
      const down = (await targets()).filter((target) => target.health !== 'up').map((t) => `${t.labels.job} ${t.labels.instance} ${t.health} ${t.lastError}`);
      throw new Error(`cibles pas « up » (${(await targets()).length} sur ${expected}) :\n${down.join('\n')}`);
    });
    const seen = await targets();
    const apiTargets = seen.filter((target) => target.labels.job === 'girlycrea-api').map((target) => target.labels.instance).sort();
    expect(apiTargets).toEqual(apiMetricsPorts(site).map((port) => `127.0.0.1:${port}`).sort());
    expect(new Set(seen.map((target) => target.labels.job))).toEqual(
      new Set(['girlycrea-api', 'girlycrea-worker', 'prometheus', 'alertmanager', 'node', 'postgres', 'pgbouncer', 'redis', 'nginx', 'blackbox']),
    );

    await shopLoad();
    // rate() and increase() need two samples after the load, and the worker must have sent the mails.
    const queries = dashboardQueries();
    const empty = async () => {
      const missing: string[] = [];
      for (const query of queries) {
        const data = await prometheus<{ result: unknown[] }>(`/api/v1/query?query=${encodeURIComponent(query.expr)}`);
        if (data.result.length === 0) missing.push(`${query.dashboard} / ${query.panel} : ${query.expr}`);
      }
      return missing;
    };
    await eventually(async () => (await empty()).length === 0, 30_000, 1000).catch(async () => {
      throw new Error(`requêtes sans résultat :\n${(await empty()).join('\n')}`);
    });
    expect(queries.length).toBeGreaterThan(25);
    const paid = await prometheus<{ result: { value: [number, string] }[] }>(`/api/v1/query?query=${encodeURIComponent('sum(orders_paid_total)')}`);
    expect(Number(paid.result[0]!.value[1])).toBe(1);
  }, 180_000);

  it('stopping the API workers fires TargetDown and Alertmanager mails it within the group wait', async () => {
    const stopped = await pm2(['stop', APPS.api]);
    expect(stopped.code, stopped.stderr).toBe(0);
    const firing = async () => {
      const { alerts } = await prometheus<{ alerts: { labels: Record<string, string>; state: string }[] }>('/api/v1/alerts');
      return alerts.filter((alert) => alert.labels.alertname === 'TargetDown' && alert.labels.job === 'girlycrea-api' && alert.state === 'firing').length;
    };
    await eventually(async () => (await firing()) > 0, 60_000, 100);
    const firingAt = Date.now();
    const isTargetDown = (raw: Buffer) => /Subject:[^\n]*TargetDown/i.test(raw.toString('utf8'));
    await eventually(async () => sink.received.some((mail) => isTargetDown(mail.raw)), 30_000, 100);
    const mailedAfterMs = Date.now() - firingAt;
    // group_wait (2 s here), plus Prometheus' evaluation and send interval (1 s) and polling slack.
    expect(mailedAfterMs).toBeLessThan((site.monitoring.groupWaitSeconds + 5) * 1000);
    const mail = sink.received.find((m) => isTargetDown(m.raw))!;
    expect(mail.envelopeTo).toEqual([site.adminEmail]);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toMatch(/^\[GirlyCrea\] ALERTE TargetDown \(\d\) : Cible girlycrea-api injoignable \(127\.0\.0\.1:\d+\)$/);
    expect(parsed.text).toMatch(/Cible girlycrea-api injoignable \(127\.0\.0\.1:\d+\)/);
    expect(parsed.text).toContain('Premier geste : pm2 status');

    // The second worker joins the same group: no second mail before group_interval (5 min), however many instances.
    await eventually(async () => (await firing()) === site.api.workers, 60_000, 200);
    await new Promise((resolve) => setTimeout(resolve, (site.monitoring.groupWaitSeconds + 2) * 1000));
    expect(sink.received.filter((m) => isTargetDown(m.raw))).toHaveLength(1);
  }, 120_000);
});
