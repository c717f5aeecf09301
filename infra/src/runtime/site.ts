import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderEcosystem } from '../pm2/ecosystem.js';
import { REPO_ROOT } from '../paths.js';
import { loadSite, type Site } from '../site.js';

const SITE_FILE = fileURLToPath(new URL('../../site.json', import.meta.url));
const EXAMPLE_FILE = fileURLToPath(new URL('../../site.example.json', import.meta.url));

/**
 * The site `start` and `deploy` run: `--site`, else infra/site.json (the VPS), else the example with
 * this checkout's folders (a developer's machine: state and logs under .data/, no secrets file).
 */
export async function resolveRuntimeSite(option: string | undefined): Promise<{ site: Site; local: boolean }> {
  const app = REPO_ROOT.replace(/\/$/, '');
  if (option || existsSync(SITE_FILE)) {
    const path = resolve(option ?? SITE_FILE);
    const site = await loadSite(path);
    if (resolve(site.paths.app) !== app) {
      throw new Error(`ce dépôt est ${app} mais le fichier de site ${path} indique paths.app = ${site.paths.app} : lancez la commande depuis ${site.paths.app}.`);
    }
    return { site, local: false };
  }
  const example = await loadSite(EXAMPLE_FILE);
  const data = join(app, '.data');
  return {
    site: { ...example, paths: { ...example.paths, app, run: join(data, 'run'), logs: join(data, 'logs'), secrets: join(data, 'secrets.env') } },
    local: true,
  };
}

/** Writes the site's PM2 ecosystem into its run folder (PM2 always runs what the site file says now). */
export async function writeEcosystem(site: Site): Promise<string> {
  const [ecosystem] = renderEcosystem(site);
  const path = join(site.paths.run, 'ecosystem.config.cjs');
  await mkdir(site.paths.run, { recursive: true });
  await mkdir(site.paths.logs, { recursive: true });
  await writeFile(path, ecosystem!.content);
  return path;
}
