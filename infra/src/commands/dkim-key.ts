import { parseArgs } from 'node:util';
import type { Command } from '../cli.js';
import { ensureDkimKey } from '../mail/dkim-key.js';
import { mailDnsRecords, txtStrings } from '../mail/dns.js';
import { dkimRecordName } from '../mail/files.js';
import { DEFAULT_SITE_FILE } from '../paths.js';
import { loadSite } from '../site.js';

/** `dkim-key [--site FILE] [--dry-run]`: makes the domain's 2048-bit DKIM key once (kept on later runs) and prints its DNS record. */
export const dkimKeyCommand: Command = {
  summary: 'crée la clé DKIM du domaine si elle manque (jamais remplacée) et affiche son enregistrement DNS',
  usage: 'dkim-key [--site infra/site.json] [--dry-run]',
  async run(args) {
    const { values } = parseArgs({ args, options: { site: { type: 'string', default: DEFAULT_SITE_FILE }, 'dry-run': { type: 'boolean', default: false } } });
    const site = await loadSite(values.site);
    const key = await ensureDkimKey(site, { dryRun: values['dry-run'] });
    const verb = key.created ? (values['dry-run'] ? 'serait créée' : 'créée') : 'déjà présente, conservée';
    process.stdout.write(`Clé DKIM ${verb} : ${key.file}\n`);
    const record = mailDnsRecords(site, key.publicKey).find((r) => r.name === dkimRecordName(site))!;
    process.stdout.write(`${record.name}. 3600 IN TXT ( ${txtStrings(record.value).join(' ')} )\n`);
    if (key.created && !values['dry-run']) process.stdout.write('Publiez cet enregistrement, puis rechargez OpenDKIM (systemctl reload opendkim).\n');
  },
};
