import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../cli.js';
import { DEFAULT_SITE_FILE } from '../paths.js';
import { assertPlatform, provision } from '../provision/provision.js';
import { loadSite } from '../site.js';

/** `provision [--dry-run] [--root DIR] [--site FILE]`: brings a Debian 12 VPS to the site file, idempotently. */
export const provisionCommand: Command = {
  summary: 'installe et configure le VPS Debian 12 (idempotent ; --dry-run montre le plan)',
  usage: 'provision [--dry-run] [--root DIR] [--site infra/site.json]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { site: { type: 'string', default: DEFAULT_SITE_FILE }, 'dry-run': { type: 'boolean', default: false }, root: { type: 'string' } },
    });
    const dryRun = values['dry-run'];
    assertPlatform(dryRun);
    const site = await loadSite(values.site);
    process.stdout.write(`Provisioning de ${site.domain} (site : ${values.site}${values.root ? `, fichiers sous ${resolve(values.root)}` : ''}${dryRun ? ', --dry-run' : ''})\n`);
    await provision({ site, dryRun, root: values.root ? resolve(values.root) : undefined, out: (line) => process.stdout.write(`${line}\n`) });
  },
};
