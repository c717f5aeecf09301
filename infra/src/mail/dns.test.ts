import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.js';
import { loadSite, parseSite, type Site } from '../site.js';
import { publicKeyOf } from './dkim-key.js';
import { checkMailDns, formatMailDns, mailDnsRecords, txtStrings, type MailResolver } from './dns.js';

const run = promisify(execFile);
const EXAMPLE = join(REPO_ROOT, 'infra/site.example.json');

let site: Site;
let dir: string;
let keyFile: string;
let privatePem: string;

beforeAll(async () => {
  site = await loadSite(EXAMPLE);
  dir = await mkdtemp(join(tmpdir(), 'gc-dns-'));
  privatePem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  keyFile = join(dir, 'girlycrea.private');
  await writeFile(keyFile, privatePem, { mode: 0o600 });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const recordsOf = (s: Site) => mailDnsRecords(s, publicKeyOf(privatePem));
const find = (s: Site, name: string, type: string) => recordsOf(s).filter((record) => record.name === name && record.type === type);
const tags = (value: string) => new Map(value.split(';').map((tag) => tag.trim()).filter(Boolean).map((tag) => [tag.slice(0, tag.indexOf('=')), tag.slice(tag.indexOf('=') + 1)]));

describe('infra dns for the example site file', () => {
  it('publishes exactly one SPF record: the VPS addresses, then ~all, each term valid SPF syntax', () => {
    const [spf, ...others] = find(site, 'girlycrea.fr', 'TXT');
    expect(others).toHaveLength(0);
    const terms = spf!.value.split(' ');
    expect(terms[0]).toBe('v=spf1');
    expect(terms.slice(1, -1)).toEqual(['ip4:203.0.113.10', 'ip6:2001:db8::10']);
    expect(terms.at(-1)).toBe('~all');
    for (const term of terms.slice(1)) expect(term).toMatch(/^([~?+-]?all|ip4:\d{1,3}(\.\d{1,3}){3}(\/\d+)?|ip6:[0-9a-f:]+(\/\d+)?|include:[a-z0-9.-]+\.[a-z]{2,})$/);
    // RFC 7208: at most 10 DNS-querying terms.
    expect(terms.filter((term) => term.startsWith('include:')).length).toBeLessThanOrEqual(10);
  });

  it('adds the smart host and the extra senders as includes when the site uses them', () => {
    const relayed = parseSite({ ...JSON.parse(JSON.stringify(site)), mail: { ...site.mail, relayhost: { host: 'smtp.relais.example', port: 587, spfInclude: 'spf.relais.example' }, spfInclude: ['mx.ovh.com'] } });
    expect(find(relayed, 'girlycrea.fr', 'TXT')[0]!.value).toBe('v=spf1 ip4:203.0.113.10 ip6:2001:db8::10 include:spf.relais.example include:mx.ovh.com ~all');
  });

  it('publishes the DKIM key of the private key at <selector>._domainkey: a signature made with the private key verifies with it', () => {
    const [dkim] = find(site, 'girlycrea._domainkey.girlycrea.fr', 'TXT');
    const fields = tags(dkim!.value);
    expect([...fields.keys()]).toEqual(['v', 'k', 'p']);
    expect(fields.get('v')).toBe('DKIM1');
    expect(fields.get('k')).toBe('rsa');
    const published = createPublicKey({ key: Buffer.from(fields.get('p')!, 'base64'), format: 'der', type: 'spki' });
    expect(published.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const signature = sign('sha256', Buffer.from('girlycrea'), createPrivateKey(privatePem));
    expect(verify('sha256', Buffer.from('girlycrea'), published, signature)).toBe(true);
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(verify('sha256', Buffer.from('girlycrea'), published, sign('sha256', Buffer.from('girlycrea'), stranger))).toBe(false);
  });

  it('splits long TXT values into quoted strings of at most 255 characters that join back to the value', () => {
    const [dkim] = find(site, 'girlycrea._domainkey.girlycrea.fr', 'TXT');
    const strings = txtStrings(dkim!.value);
    expect(strings.length).toBeGreaterThan(1);
    for (const text of strings) expect(text.length - 2).toBeLessThanOrEqual(255);
    expect(strings.map((text) => text.slice(1, -1)).join('')).toBe(dkim!.value);
  });

  it('sets DMARC to quarantine with aggregate reports to the report address', () => {
    const [dmarc] = find(site, '_dmarc.girlycrea.fr', 'TXT');
    const fields = tags(dmarc!.value);
    expect(dmarc!.value.startsWith('v=DMARC1;')).toBe(true);
    expect(fields.get('p')).toBe('quarantine');
    expect(fields.get('rua')).toBe('mailto:contact@girlycrea.fr');
  });

  it('asks the provider for the PTR of each address, naming the mail host, whose A/AAAA records point back', () => {
    expect(find(site, '203.0.113.10', 'PTR')[0]).toMatchObject({ value: 'mail.girlycrea.fr', where: 'provider' });
    expect(find(site, '2001:db8::10', 'PTR')[0]).toMatchObject({ value: 'mail.girlycrea.fr', where: 'provider' });
    expect(find(site, 'mail.girlycrea.fr', 'A')[0]!.value).toBe('203.0.113.10');
    expect(find(site, 'mail.girlycrea.fr', 'AAAA')[0]!.value).toBe('2001:db8::10');
    const text = formatMailDns(recordsOf(site));
    expect(text).toContain('203.0.113.10 PTR mail.girlycrea.fr.');
    expect(text).not.toMatch(/IN PTR/);
  });

  it('compares with the live DNS record by record and reports those that differ', async () => {
    const records = recordsOf(site);
    const value = (name: string, type: string) => records.find((record) => record.name === name && record.type === type)!.value;
    // The answers of a remote DNS: SPF right (plus an unrelated TXT), DKIM split in 255-character strings, DMARC at p=none, no PTR.
    const resolver: MailResolver = {
      async resolveTxt(name) {
        if (name === 'girlycrea.fr') return [['google-site-verification=abc'], [value('girlycrea.fr', 'TXT')]];
        if (name === 'girlycrea._domainkey.girlycrea.fr') return [txtStrings(value(name, 'TXT')).map((text) => text.slice(1, -1))];
        if (name === '_dmarc.girlycrea.fr') return [['v=DMARC1; p=none']];
        throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      },
      resolve4: async () => ['203.0.113.10'],
      resolve6: async () => ['2001:db8::10'],
      reverse: async (ip) => (ip === '203.0.113.10' ? ['vps-1234.hebergeur.example'] : ['mail.girlycrea.fr.']),
    };
    const checks = await checkMailDns(records, resolver);
    const wrong = checks.filter((check) => !check.ok).map((check) => `${check.record.type} ${check.record.name}`);
    expect(wrong).toEqual(['TXT _dmarc.girlycrea.fr', 'PTR 203.0.113.10']);
  });

  it('prints the records from the command line with the key given', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--conditions=development', 'src/cli.ts', 'dns', '--site', EXAMPLE, '--key', keyFile], { cwd: join(REPO_ROOT, 'infra') });
    expect(stdout).toContain('girlycrea.fr. 3600 IN TXT ( "v=spf1 ip4:203.0.113.10 ip6:2001:db8::10 ~all" )');
    expect(stdout).toContain(`girlycrea._domainkey.girlycrea.fr. 3600 IN TXT ( "v=DKIM1; k=rsa; p=${publicKeyOf(privatePem).slice(0, 100)}`);
    expect(stdout).toContain('_dmarc.girlycrea.fr. 3600 IN TXT ( "v=DMARC1; p=quarantine; rua=mailto:contact@girlycrea.fr; adkim=r; aspf=r" )');
    expect(stdout).toContain('mail.girlycrea.fr. 3600 IN A 203.0.113.10');
  });
});
