import { join } from 'node:path';
import type { Site } from '../site.js';

/** The master.cf service that hands Postfix's DSNs to the bounce handler. */
export const BOUNCE_SERVICE = 'girlycrea-bounce';

/** Where the mail configs and the DKIM key live once installed (all under site.paths.etc). */
export function mailFiles(site: Site) {
  const etc = site.paths.etc;
  const keyDir = join(etc, 'opendkim', 'keys', site.domain);
  return {
    postfixDir: join(etc, 'postfix'),
    headerChecks: join(etc, 'postfix', 'smtp_header_checks'),
    senderCanonical: join(etc, 'postfix', 'sender_canonical'),
    opendkimConf: join(etc, 'opendkim.conf'),
    keyTable: join(etc, 'opendkim', 'KeyTable'),
    signingTable: join(etc, 'opendkim', 'SigningTable'),
    trustedHosts: join(etc, 'opendkim', 'TrustedHosts'),
    keyDir,
    privateKey: join(keyDir, `${site.mail.selector}.private`),
  };
}

/** Postfix's HELO name, which the PTR record must return: site.mail.hostname or mail.<domain>. */
export function mailHostname(site: Site): string {
  return site.mail.hostname ?? `mail.${site.domain}`;
}

/** The envelope sender of every message, where Postfix sends its DSNs: site.mail.bounceAddress or bounces@<domain>. */
export function bounceAddress(site: Site): string {
  return site.mail.bounceAddress ?? `bounces@${site.domain}`;
}

/** The DNS name the DKIM public key is published at. */
export function dkimRecordName(site: Site): string {
  return `${site.mail.selector}._domainkey.${site.domain}`;
}

/** The command Postfix's pipe runs for each DSN: the compiled mailer CLI, with the shop's secrets (DATABASE_URL). */
export function bounceCommand(site: Site): string[] {
  return site.mail.bounceCommand ?? [site.mail.nodeBinary, `--env-file=${site.paths.secrets}`, join(site.paths.app, 'packages/mailer/dist/cli/bounce.js')];
}
