import type { Site } from '../site.js';
import { dkimRecordName, mailHostname } from './files.js';

/** One DNS record the mail needs; `provider` ones (PTR) are set by the VPS provider, not in the zone. */
export interface MailDnsRecord {
  name: string;
  type: 'TXT' | 'A' | 'AAAA' | 'PTR';
  value: string;
  /** What it is for, in French, printed above it. */
  purpose: string;
  where: 'zone' | 'provider';
}

/** The SPF policy: the VPS's addresses, the smart host's and the extra senders' includes, soft fail for the rest. */
export function spfValue(site: Site): string {
  const terms = ['v=spf1'];
  if (site.mail.addresses.ipv4) terms.push(`ip4:${site.mail.addresses.ipv4}`);
  if (site.mail.addresses.ipv6) terms.push(`ip6:${site.mail.addresses.ipv6}`);
  if (site.mail.relayhost?.spfInclude) terms.push(`include:${site.mail.relayhost.spfInclude}`);
  for (const include of site.mail.spfInclude) terms.push(`include:${include}`);
  // ~all: with DMARC at quarantine a failing message is already set aside; -all would add nothing but risk.
  terms.push('~all');
  return [...new Set(terms)].join(' ');
}

/** The DMARC policy: quarantine what fails, aggregate reports to site.mail.dmarcReportAddress (default adminEmail). */
export function dmarcValue(site: Site): string {
  return `v=DMARC1; p=quarantine; rua=mailto:${site.mail.dmarcReportAddress ?? site.adminEmail}; adkim=r; aspf=r`;
}

/** Every record outgoing mail needs, from the site file and the DKIM public key (base64 SPKI). */
export function mailDnsRecords(site: Site, dkimPublicKey: string): MailDnsRecord[] {
  const host = mailHostname(site);
  const { ipv4, ipv6 } = site.mail.addresses;
  const records: MailDnsRecord[] = [
    { name: site.domain, type: 'TXT', value: spfValue(site), purpose: 'SPF : les serveurs autorisés à envoyer pour le domaine', where: 'zone' },
    { name: dkimRecordName(site), type: 'TXT', value: `v=DKIM1; k=rsa; p=${dkimPublicKey}`, purpose: 'DKIM : la clé publique qui vérifie la signature', where: 'zone' },
    { name: `_dmarc.${site.domain}`, type: 'TXT', value: dmarcValue(site), purpose: 'DMARC : quarantaine si SPF et DKIM échouent, rapports quotidiens', where: 'zone' },
  ];
  if (ipv4) {
    records.push({ name: host, type: 'A', value: ipv4, purpose: 'le nom du serveur d’envoi (jamais derrière un proxy)', where: 'zone' });
    records.push({ name: ipv4, type: 'PTR', value: host, purpose: 'DNS inverse IPv4 : à demander à l’hébergeur du VPS', where: 'provider' });
  }
  if (ipv6) {
    records.push({ name: host, type: 'AAAA', value: ipv6, purpose: 'le nom du serveur d’envoi en IPv6', where: 'zone' });
    records.push({ name: ipv6, type: 'PTR', value: host, purpose: 'DNS inverse IPv6 : à demander à l’hébergeur du VPS', where: 'provider' });
  }
  return records;
}

/** A TXT value as zone-file strings: quoted chunks of at most 255 characters (the DNS limit per string). */
export function txtStrings(value: string): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += 255) chunks.push(value.slice(i, i + 255));
  return chunks.map((chunk) => `"${chunk.replace(/(["\\])/g, '\\$1')}"`);
}

/** The records as text ready to paste: zone-file lines, then what to ask the provider. */
export function formatMailDns(records: MailDnsRecord[]): string {
  const lines: string[] = ['; Zone DNS du domaine (à coller chez le registraire)'];
  for (const record of records.filter((r) => r.where === 'zone')) {
    lines.push(`; ${record.purpose}`);
    const value = record.type === 'TXT' ? `( ${txtStrings(record.value).join(' ')} )` : record.value;
    lines.push(`${record.name}. 3600 IN ${record.type} ${value}`);
  }
  const provider = records.filter((r) => r.where === 'provider');
  if (provider.length > 0) {
    lines.push('', '; DNS inverse (PTR) : à régler dans l’espace client de l’hébergeur, pas dans la zone');
    for (const record of provider) lines.push(`; ${record.purpose}`, `${record.name} PTR ${record.value}.`);
  } else {
    lines.push('', '; Renseignez mail.addresses.ipv4 (et ipv6) dans le fichier de site : SPF et PTR en dépendent.');
  }
  return `${lines.join('\n')}\n`;
}

/** What `checkMailDns` needs from a resolver (node:dns/promises' Resolver has it). */
export interface MailResolver {
  resolveTxt(name: string): Promise<string[][]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  reverse(ip: string): Promise<string[]>;
}

/** One record compared with what the DNS answers. */
export interface MailDnsCheck {
  record: MailDnsRecord;
  ok: boolean;
  live: string[];
}

const squash = (text: string) => text.replace(/\s+/g, ' ').replace(/\s*;\s*/g, ';').trim();
const noTrailingDot = (name: string) => name.replace(/\.$/, '').toLowerCase();

async function liveValues(resolver: MailResolver, record: MailDnsRecord): Promise<string[]> {
  try {
    if (record.type === 'TXT') {
      // Only the TXT records of the same kind (an SPF among site-verification strings).
      const prefix = record.value.slice(0, record.value.indexOf(' ') > 0 ? record.value.indexOf(' ') : record.value.length).replace(/;$/, '');
      return (await resolver.resolveTxt(record.name)).map((chunks) => chunks.join('')).filter((value) => value.startsWith(prefix));
    }
    if (record.type === 'A') return await resolver.resolve4(record.name);
    if (record.type === 'AAAA') return await resolver.resolve6(record.name);
    return await resolver.reverse(record.name);
  } catch {
    return [];
  }
}

/** Asks the DNS for each record and says which differ (missing, another value, or two SPF records). */
export async function checkMailDns(records: MailDnsRecord[], resolver: MailResolver): Promise<MailDnsCheck[]> {
  return Promise.all(
    records.map(async (record) => {
      const live = await liveValues(resolver, record);
      const ok =
        record.type === 'TXT'
          ? live.length === 1 && squash(live[0]!) === squash(record.value)
          : record.type === 'PTR'
            ? live.some((name) => noTrailingDot(name) === record.value)
            : live.includes(record.value);
      return { record, ok, live };
    }),
  );
}
