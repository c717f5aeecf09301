import { readFile } from 'node:fs/promises';
import { Resolver } from 'node:dns/promises';
import { parseArgs } from 'node:util';
import type { Command } from '../cli.js';
import { publicKeyOf } from '../mail/dkim-key.js';
import { checkMailDns, formatMailDns, mailDnsRecords } from '../mail/dns.js';
import { mailFiles } from '../mail/files.js';
import { DEFAULT_SITE_FILE } from '../paths.js';
import { loadSite } from '../site.js';

/** `dns [--site FILE] [--key FILE] [--check]`: the SPF, DKIM, DMARC and PTR records to set, and optionally how the live DNS differs. */
export const dnsCommand: Command = {
  summary: 'affiche les enregistrements DNS du courrier (SPF, DKIM, DMARC, PTR) ; --check les compare au DNS public',
  usage: 'dns [--site infra/site.json] [--key clé-privée-dkim] [--check]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { site: { type: 'string', default: DEFAULT_SITE_FILE }, key: { type: 'string' }, check: { type: 'boolean', default: false } },
    });
    const site = await loadSite(values.site);
    const keyFile = values.key ?? mailFiles(site).privateKey;
    const pem = await readFile(keyFile, 'utf8').catch(() => {
      throw new Error(`clé DKIM illisible : ${keyFile}. Sur le VPS, créez-la avec npm run infra -- dkim-key (ou indiquez --key).`);
    });
    const records = mailDnsRecords(site, publicKeyOf(pem));
    process.stdout.write(formatMailDns(records));
    if (!values.check) return;
    process.stdout.write('\nVérification dans le DNS public…\n');
    const checks = await checkMailDns(records, new Resolver({ timeout: 5000, tries: 2 }));
    for (const check of checks) {
      const live = check.live.length > 0 ? check.live.join(' | ') : '(absent)';
      process.stdout.write(`${check.ok ? '✓' : '✗'} ${check.record.type.padEnd(4)} ${check.record.name}${check.ok ? '' : `\n    en ligne : ${live}\n    attendu  : ${check.record.value}`}\n`);
    }
    const wrong = checks.filter((check) => !check.ok).length;
    if (wrong > 0) throw new Error(`${wrong} enregistrement(s) à corriger (la propagation DNS peut prendre jusqu’à une heure).`);
    process.stdout.write(`${checks.length} enregistrements conformes.\n`);
  },
};
