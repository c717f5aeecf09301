import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../cli.js';
import { renderAll, writeRendered } from '../render.js';
import { loadSite } from '../site.js';
import { DEFAULT_SITE_FILE } from '../paths.js';

/** `render DIR [--site FILE]`: writes every config of the VPS under DIR (etc/nginx/…, etc/girlycrea/…). */
export const renderCommand: Command = {
  summary: 'écrit tous les fichiers de configuration du VPS dans DIR',
  usage: 'render DIR [--site infra/site.json]',
  async run(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { site: { type: 'string', default: DEFAULT_SITE_FILE } } });
    const dir = positionals[0];
    if (!dir || positionals.length > 1) throw new Error('indiquez un seul dossier de sortie : npm run infra -- render DIR');
    const site = await loadSite(values.site);
    const files = renderAll(site);
    await writeRendered(resolve(dir), files);
    for (const file of files) process.stdout.write(`  ${file.path}\n`);
    process.stdout.write(`${files.length} fichiers écrits dans ${resolve(dir)} (site : ${values.site}).\n`);
  },
};
