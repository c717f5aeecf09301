import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../cli.js';
import { requireEnv, runtimeEnv } from '../runtime/env.js';
import { capture, run } from '../runtime/exec.js';
import { PM2_BIN, pm2Env, pm2List } from '../runtime/pm2.js';
import { readRelease } from '../runtime/release.js';
import { resolveRuntimeSite, writeEcosystem } from '../runtime/site.js';

/** `start`: the whole shop under PM2 in the foreground (API workers, storefront, worker); SIGTERM stops it cleanly. */
export const startCommand: Command = {
  summary: 'démarre la boutique sous PM2 au premier plan (après npm run build)',
  usage: 'start [--site infra/site.json]',
  async run(args) {
    const { values } = parseArgs({ args, options: { site: { type: 'string' } } });
    const { site, local } = await resolveRuntimeSite(values.site);
    const env = runtimeEnv(site, process.env);
    requireEnv(env, ['DATABASE_URL', 'REDIS_URL', 'REDIS_CACHE_URL', 'TOTP_ENCRYPTION_KEY'], site);
    if (local) env.SHOP_URL ??= `http://localhost:${site.web.port}`;

    const app = site.paths.app;
    const webDistDir = (await readRelease(site))?.webDistDir ?? '.next';
    const builds = [join(app, 'apps/api/dist/entry.js'), join(app, 'apps/api/dist/worker-entry.js'), join(app, 'apps/web', webDistDir, 'BUILD_ID')];
    const missing = builds.filter((path) => !existsSync(path));
    if (missing.length > 0) throw new Error(`build introuvable (${missing.join(', ')}) : lancez d'abord npm run build.`);

    if ((await pm2List(site, env)).length > 0) throw new Error(`la boutique tourne déjà sous PM2 (PM2_HOME=${pm2Env(site, env).PM2_HOME}) : npm run deploy pour la recharger.`);
    const ecosystem = await writeEcosystem(site);
    const pm2 = pm2Env(site, env);
    process.stdout.write(`PM2 : ${site.api.workers} worker(s) API, la vitrine et le processus des tâches (journaux : ${site.paths.logs})\n`);
    // PM2's daemon, not pm2-runtime: in no-daemon mode PM2 leaks its own arguments into cluster
    // workers' argv, which `next start` rejects. This process stays in the foreground, shows the logs
    // and stops everything on SIGTERM.
    // A stop asked while PM2 is still starting the apps is honoured as soon as it is done.
    let stopping: string | undefined;
    const stopped = new Promise<string>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          stopping = signal;
          resolve(signal);
        });
      }
    });
    await run(process.execPath, [PM2_BIN, 'start', ecosystem], { env: pm2 });
    const logs = spawn(process.execPath, [PM2_BIN, 'logs', '--raw', '--lines', '0'], { env: pm2, stdio: ['ignore', 'inherit', 'inherit'] });
    // PM2's daemon gone without being asked to: say so and fail, so systemd restarts the shop.
    const vanished = new Promise<void>((resolve) => {
      const watch = setInterval(() => {
        void pm2List(site, env).then((list) => {
          if (stopping || list.length > 0) return;
          clearInterval(watch);
          resolve();
        });
      }, 5000);
      watch.unref();
    });
    const signal = await Promise.race([stopped, vanished]);
    logs.kill();
    if (!signal) {
      process.stderr.write('le démon PM2 s’est arrêté de lui-même\n');
      process.exit(1);
    }
    process.stdout.write(`\n${signal} : arrêt des processus (requêtes en cours terminées)…\n`);
    await capture(process.execPath, [PM2_BIN, 'kill'], { env: pm2 });
    process.stdout.write('boutique arrêtée\n');
    process.exit(0);
  },
};
