import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.js';
import { fileAt, renderAll, writeRendered } from '../render.js';
import { loadSite, parseSite, type Site } from '../site.js';

const run = promisify(execFile);
let site: Site;
let dir: string;

beforeAll(async () => {
  site = await loadSite(join(REPO_ROOT, 'infra/site.example.json'));
  dir = await mkdtemp(join(tmpdir(), 'gc-mail-render-'));
  await writeRendered(dir, renderAll(site));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `postconf -n` of a rendered config directory: the settings, and Postfix's own warnings. */
async function postconf(configDir: string): Promise<{ settings: Map<string, string>; warnings: string }> {
  const { stdout, stderr } = await run('/usr/sbin/postconf', ['-c', configDir, '-n']);
  const settings = new Map(stdout.trim().split('\n').map((line) => /^(\S+) =\s?(.*)$/.exec(line)!.slice(1, 3) as [string, string]));
  return { settings, warnings: stderr };
}

describe('mail configs rendered from the example site', () => {
  it('Postfix reads main.cf without a warning: send-only on loopback, no open relay, DKIM milter for both paths', async () => {
    const { settings, warnings } = await postconf(join(dir, 'etc/postfix'));
    expect(warnings).toBe('');
    expect(settings.get('inet_interfaces')).toBe('loopback-only');
    expect(settings.get('mynetworks')).toBe('127.0.0.1/32 [::1]/128');
    expect(settings.get('smtpd_relay_restrictions')).toBe('permit_mynetworks, reject_unauth_destination');
    expect(settings.get('mydestination')).toBe('');
    expect(settings.get('myhostname')).toBe('mail.girlycrea.fr');
    expect(settings.get('myorigin')).toBe('$mydomain');
    expect(settings.get('mydomain')).toBe('girlycrea.fr');
    expect(settings.get('smtp_tls_security_level')).toBe('may');
    expect(settings.get('message_size_limit')).toBe(String(20 * 1024 * 1024));
    expect(settings.get('smtpd_milters')).toBe('inet:127.0.0.1:8891');
    expect(settings.get('non_smtpd_milters')).toBe('$smtpd_milters');
    expect(settings.get('milter_default_action')).toBe('tempfail');
    expect(settings.get('relayhost')).toBe('');
  });

  it('with a smart host, relays through it with SASL and refuses to send the password without TLS', async () => {
    const relayed = parseSite({ ...JSON.parse(JSON.stringify(site)), mail: { ...site.mail, relayhost: { host: 'smtp.relais.example', port: 587, passwordFile: '/etc/postfix/sasl_passwd' } } });
    const relayDir = join(dir, 'relay');
    await writeRendered(relayDir, renderAll(relayed));
    const { settings, warnings } = await postconf(join(relayDir, 'etc/postfix'));
    expect(warnings).toBe('');
    expect(settings.get('relayhost')).toBe('[smtp.relais.example]:587');
    expect(settings.get('smtp_sasl_auth_enable')).toBe('yes');
    expect(settings.get('smtp_sasl_password_maps')).toBe('texthash:/etc/postfix/sasl_passwd');
    expect(settings.get('smtp_tls_security_level')).toBe('encrypt');
  });

  it('master.cf runs the bounce handler as the app user with the secrets file, never as root', () => {
    const master = fileAt(renderAll(site), 'etc/postfix/master.cf').content;
    expect(master).toContain('girlycrea-bounce unix  -       n       n       -       2       pipe');
    expect(master).toContain('flags=Rq user=girlycrea argv=/usr/bin/node --env-file=/etc/girlycrea/girlycrea.env /srv/girlycrea/app/packages/mailer/dist/cli/bounce.js');
    expect(master).toMatch(/^25 +inet +n +- +n +- +- +smtpd\n +-o cleanup_service_name=girlycrea-cleanup$/m);
  });

  it('OpenDKIM accepts the rendered opendkim.conf and signs *@domain with the selector key', async () => {
    // Installed where its tables are: the example's paths with etc/ in the test folder.
    const local = parseSite({ ...JSON.parse(JSON.stringify(site)), paths: { ...site.paths, etc: join(dir, 'local', 'etc') } });
    await writeRendered(join(dir, 'local'), renderAll(local));
    await run('/usr/sbin/opendkim', ['-n', '-x', join(dir, 'local/etc/opendkim.conf')]);
    const files = renderAll(site);
    expect(fileAt(files, 'etc/opendkim/KeyTable').content).toContain('girlycrea._domainkey.girlycrea.fr girlycrea.fr:girlycrea:/etc/opendkim/keys/girlycrea.fr/girlycrea.private');
    expect(fileAt(files, 'etc/opendkim/SigningTable').content).toContain('*@girlycrea.fr girlycrea._domainkey.girlycrea.fr');
    expect(fileAt(files, 'etc/opendkim.conf').content).toContain('Socket inet:8891@127.0.0.1');
  });
});
