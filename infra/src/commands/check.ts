import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkedFiles } from '../check/files.js';
import { checkInvariants } from '../check/invariants.js';
import type { Command } from '../cli.js';
import { DEFAULT_SITE_FILE } from '../paths.js';
import { loadSite } from '../site.js';

/** `check [DIR] [--site FILE]`: proves the configs agree (the rendered tree DIR, or a fresh render); exit 1 on any violation. */
export const checkCommand: Command = {
  summary: 'vérifie que les configurations sont cohérentes entre elles et tiennent dans la machine',
  usage: 'check [DIR] [--site infra/site.json]   (DIR : un dossier rendu, ou / sur le VPS)',
  async run(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { site: { type: 'string', default: DEFAULT_SITE_FILE } } });
    if (positionals.length > 1) throw new Error('indiquez au plus un dossier : npm run infra -- check [DIR]');
    const site = await loadSite(values.site);
    const dir = positionals[0] ? resolve(positionals[0]) : undefined;
    const problems = checkInvariants(site, await checkedFiles(site, dir));
    const source = dir ? `fichiers de ${dir}` : `rendu de ${values.site}`;
    if (problems.length === 0) {
      process.stdout.write(`✓ configurations cohérentes (${source}).\n`);
      return;
    }
    for (const problem of problems) process.stdout.write(`✗ ${problem}\n`);
    throw new Error(`${problems.length} incohérence(s) (${source}) : corrigez le fichier de site ou le fichier nommé, puis relancez check.`);
  },
};
