import type { RenderedFile } from '../render.js';
import { header } from '../render.js';
import type { Site } from '../site.js';
import { dkimRecordName, mailFiles } from './files.js';

function opendkimConf(site: Site): string {
  const files = mailFiles(site);
  return `${header('#', 'OpenDKIM: signs the shop\'s outgoing mail for Postfix (milter on loopback).')}Syslog yes
SyslogSuccess yes
# Sign only: this server receives no mail to verify.
Mode s
Canonicalization relaxed/simple
SignatureAlgorithm rsa-sha256
# A From header added after signing (by anyone) breaks the signature instead of riding on it.
OversignHeaders From
# site.paths.etc + /opendkim/{KeyTable,SigningTable,TrustedHosts}
KeyTable file:${files.keyTable}
SigningTable refile:${files.signingTable}
InternalHosts refile:${files.trustedHosts}
ExternalIgnoreList refile:${files.trustedHosts}
# site.mail.dkimPort, loopback only
Socket inet:${site.mail.dkimPort}@127.0.0.1
# site.mail.dkimPidFile
PidFile ${site.mail.dkimPidFile}
# site.mail.dkimUser: the only account that reads the private key
UserID ${site.mail.dkimUser}
UMask 007
`;
}

/** `etc/opendkim.conf` and `etc/opendkim/{KeyTable,SigningTable,TrustedHosts}`: one 2048-bit key for site.domain. */
export function renderOpendkim(site: Site): RenderedFile[] {
  const files = mailFiles(site);
  const name = dkimRecordName(site);
  return [
    { path: 'etc/opendkim.conf', content: opendkimConf(site) },
    {
      path: 'etc/opendkim/KeyTable',
      content: `${header('#', 'OpenDKIM KeyTable: key name -> domain:selector:private key file.')}# site.mail.selector, site.domain; the key is made once by \`npm run infra -- dkim-key\`
${name} ${site.domain}:${site.mail.selector}:${files.privateKey}
`,
    },
    {
      path: 'etc/opendkim/SigningTable',
      content: `${header('#', 'OpenDKIM SigningTable: which From addresses are signed with which key.')}# every address of site.domain
*@${site.domain} ${name}
`,
    },
    {
      path: 'etc/opendkim/TrustedHosts',
      content: `${header('#', 'OpenDKIM InternalHosts: clients whose mail is signed (Postfix hands over loopback clients only).')}127.0.0.1
::1
localhost
`,
    },
  ];
}
