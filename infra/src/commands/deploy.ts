import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../cli.js';
import { APPS } from '../pm2/ecosystem.js';
import { requireEnv, runtimeEnv } from '../runtime/env.js';
import { run } from '../runtime/exec.js';
import { PM2_BIN, pm2Env, pm2List } from '../runtime/pm2.js';
import { describeCheckout, freeSlot, markSlot, readRelease, slotWithBuild, writeRelease, type Release } from '../runtime/release.js';
import { resolveRuntimeSite, writeEcosystem } from '../runtime/site.js';
import type { Site } from '../site.js';

/** A deploy step that failed: the message names it and says that the running release still serves. */
class DeployError extends Error {}

const HEALTH_WAIT_MS = 60_000;

/**
 * `deploy`: build, migrate, then reload the API workers one at a time, the worker and the storefront.
 * A failed build or migration reloads nothing: the release in service keeps serving.
 */
export const deployCommand: Command = {
  summary: 'build, migrations, puis rechargement sans coupure des processus PM2',
  usage: 'deploy [--site infra/site.json]',
  async run(args) {
    const { values } = parseArgs({ args, options: { site: { type: 'string' } } });
    const { site } = await resolveRuntimeSite(values.site);
    const env = runtimeEnv(site, process.env);
    requireEnv(env, ['DATABASE_URL', 'REDIS_URL', 'REDIS_CACHE_URL', 'REVALIDATE_SECRET', 'TOTP_ENCRYPTION_KEY'], site);
    const started = performance.now();
    const step = (text: string) => process.stdout.write(`\n▸ ${text} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);

    const current = await readRelease(site);
    const serving = (await pm2List(site, env)).some((proc) => proc.name === APPS.api && proc.pm2_env?.status === 'online');
    const keep = current ? `la version en service (${current.commit}) continue de servir` : 'rien n’a été rechargé';
    const app = site.paths.app;
    const apiOrigin = `http://127.0.0.1:${site.api.port}`;
    const buildEnv = { NODE_ENV: 'production', API_ORIGIN: apiOrigin, SITE_URL: env.SHOP_URL || `https://${site.domain}`, ...analyticsEnv(site) };
    const { commit, buildId } = await describeCheckout(app, buildEnv);
    process.stdout.write(`Déploiement de ${commit} (build ${buildId})${current ? `, en service : ${current.commit}` : ''}\n`);

    try {
      step('build de l’API et des paquets (Turborepo)');
      await run('npx', ['turbo', 'run', 'build', '--filter=@girlycrea/api...', '--output-logs=errors-only'], { cwd: app, env }).catch(
        (error: Error) => {
          throw new DeployError(`échec du build de l’API : ${error.message}`);
        },
      );

      let webDistDir = await slotWithBuild(app, buildId);
      if (webDistDir) {
        step(`vitrine déjà construite pour ce build, dans ${webDistDir}`);
      } else {
        webDistDir = freeSlot(current?.webDistDir);
        step(`build de la vitrine dans apps/web/${webDistDir}`);
        await rm(join(app, 'apps/web', webDistDir), { recursive: true, force: true });
        await run(process.execPath, [join(app, 'node_modules/next/dist/bin/next'), 'build'], {
          cwd: join(app, 'apps/web'),
          env: { ...env, ...buildEnv, NEXT_DIST_DIR: webDistDir, NEXT_TELEMETRY_DISABLED: '1' },
        }).catch((error: Error) => {
          throw new DeployError(`échec du build de la vitrine : ${error.message}`);
        });
        await markSlot(app, webDistDir, buildId);
      }

      step('migrations (connexion directe)');
      await run('npm', ['run', '--silent', 'migrate'], { cwd: app, env }).catch((error: Error) => {
        throw new DeployError(`échec des migrations : ${error.message}`);
      });

      const release: Release = { commit, buildId, webDistDir, deployedAt: new Date().toISOString() };
      await writeRelease(site, release);
      if (!serving) {
        process.stdout.write(`\n✓ ${commit} prêt en ${seconds(started)} s, mais la boutique ne tourne pas : démarrez-la (npm start).\n`);
        return;
      }
      await reload(site, env, step);
      step('attente de /api/health sur la nouvelle version');
      await waitForRelease(apiOrigin, commit);
      step('pages de la vitrine revalidées');
      await revalidate(site, env);
      process.stdout.write(
        `\n✓ ${commit} en service en ${seconds(started)} s. Retour arrière : git checkout ${current?.commit.replace(/-dirty$/, '') ?? '<commit>'} && npm run deploy\n`,
      );
    } catch (error) {
      if (error instanceof DeployError) throw new Error(`${error.message}\n→ ${keep}.`);
      throw error;
    }
  },
};

function seconds(started: number): string {
  return ((performance.now() - started) / 1000).toFixed(1);
}

function analyticsEnv(site: Site): Record<string, string> {
  return site.analytics ? { PLAUSIBLE_DOMAIN: site.analytics.plausibleDomain, PLAUSIBLE_SCRIPT_URL: site.analytics.plausibleScriptUrl } : {};
}

/** Reloads the API workers one by one (each waits for its successor's `ready`), then the worker and the storefront. */
async function reload(site: Site, env: Record<string, string>, step: (text: string) => void): Promise<void> {
  const ecosystem = await writeEcosystem(site);
  for (const name of [APPS.api, APPS.worker, APPS.web]) {
    step(`rechargement de ${name}`);
    await run(process.execPath, [PM2_BIN, 'reload', ecosystem, '--only', name, '--update-env'], { env: pm2Env(site, env) });
  }
}

async function waitForRelease(apiOrigin: string, commit: string): Promise<void> {
  const deadline = Date.now() + HEALTH_WAIT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const report = await fetch(`${apiOrigin}/api/health`, { signal: AbortSignal.timeout(2000) })
      .then((res) => res.json() as Promise<{ release?: string }>)
      .catch((error: Error) => ({ release: undefined, error: error.message }));
    if (report.release === commit) return;
    last = JSON.stringify(report);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`l’API n’annonce pas ${commit} après ${HEALTH_WAIT_MS / 1000} s (dernière réponse : ${last}) : voir pm2 logs.`);
}

/** Pages prerendered by the build (maybe while the API was unreachable) are rendered again now. */
async function revalidate(site: Site, env: Record<string, string>): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${site.web.port}/revalidate`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${env.REVALIDATE_SECRET}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`la revalidation des pages a répondu ${res.status} : vérifiez REVALIDATE_SECRET.`);
}
