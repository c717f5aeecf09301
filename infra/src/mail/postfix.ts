import { dirname } from 'node:path';
import type { RenderedFile } from '../render.js';
import { header } from '../render.js';
import type { Site } from '../site.js';
import { bounceAddress, bounceCommand, BOUNCE_SERVICE, mailFiles, mailHostname } from './files.js';

/** Postfix's `relayhost` value for the site: `[host]:port` (no MX lookup), or empty to deliver directly. */
export function relayhostValue(site: Site): string {
  const relay = site.mail.relayhost;
  return relay ? `[${relay.host}]:${relay.port}` : '';
}

const API_CLEANUP = 'girlycrea-cleanup';

function mainCf(site: Site): string {
  const files = mailFiles(site);
  const relay = site.mail.relayhost;
  const sasl = relay?.passwordFile
    ? [
        '# The smart host wants a login: SASL, and only over TLS so the password never travels in clear.',
        'smtp_sasl_auth_enable = yes',
        '# site.mail.relayhost.passwordFile',
        `smtp_sasl_password_maps = texthash:${relay.passwordFile}`,
        'smtp_sasl_security_options = noanonymous',
        'smtp_sasl_tls_security_options = noanonymous',
        'smtp_tls_security_level = encrypt',
      ]
    : ['# Opportunistic TLS outward: encrypt whenever the receiver offers STARTTLS.', 'smtp_tls_security_level = may'];
  return `${header('#', 'Postfix main.cf: a send-only relay for the shop, listening on loopback.')}compatibility_level = 3.6
# site.mail.hostname (default mail.<site.domain>); the PTR must give this name
myhostname = ${mailHostname(site)}
# site.domain
mydomain = ${site.domain}
myorigin = $mydomain
# Send-only: nothing is delivered on this machine but DSNs to the bounce handler (transport_maps).
mydestination =
local_transport = error:5.1.1 pas de boîte aux lettres sur ce serveur
alias_maps =
alias_database =
biff = no
append_dot_mydomain = no
smtpd_banner = $myhostname ESMTP
disable_vrfy_command = yes
# A session whose milter connection failed keeps answering 4xx: end it soon, so the client's next
# connection reaches OpenDKIM once it is back instead of retrying on the broken session.
smtpd_hard_error_limit = 3

# Only programs on this machine may submit, and they may only send: no open relay.
inet_interfaces = loopback-only
inet_protocols = all
mynetworks = 127.0.0.1/32 [::1]/128
smtpd_client_restrictions = permit_mynetworks, reject
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = permit_mynetworks, reject
# site.mail.messageSizeLimitMb × 1024 × 1024
message_size_limit = ${site.mail.messageSizeLimitMb * 1024 * 1024}
mailbox_size_limit = 0

# Outward.
# site.mail.relayhost (empty: straight to each receiver's MX on port 25)
relayhost = ${relayhostValue(site)}
${sasl.join('\n')}
smtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt
smtp_tls_loglevel = 1
smtp_tls_session_cache_database = btree:$data_directory/smtp_scache
# The API's and the loopback hops mean nothing to receivers: drop them from the headers sent out.
# site.paths.etc + /postfix/smtp_header_checks
smtp_header_checks = regexp:${files.headerChecks}
# An order confirmation days late is useless: give up (and bounce, which marks the address) after 2 days.
maximal_queue_lifetime = 2d
bounce_queue_lifetime = 2d

# DKIM: OpenDKIM signs everything, submitted over SMTP or generated here (DSNs). When it is down
# mail is refused with a 4xx and the outbox retries: delayed, never sent unsigned, never lost.
# site.mail.dkimPort
smtpd_milters = inet:127.0.0.1:${site.mail.dkimPort}
non_smtpd_milters = $smtpd_milters
milter_default_action = tempfail
milter_protocol = 6

# Bounces: what the API submits leaves with the bounce address as envelope sender (rewritten by
# the SMTP listener's own cleanup service, see master.cf: DSNs keep their null sender), so the DSNs
# Postfix writes for refused recipients come back to it, and it is piped to the bounce handler.
transport_maps = inline:{ ${bounceAddress(site)}=${BOUNCE_SERVICE}: }
${BOUNCE_SERVICE}_destination_recipient_limit = 1

# site.mail.queueDirectory
queue_directory = ${site.mail.queueDirectory}
# site.mail.dataDirectory
data_directory = ${site.mail.dataDirectory}
# site.mail.logFile
maillog_file = ${site.mail.logFile}
maillog_file_prefixes = ${dirname(site.mail.logFile)}
`;
}

// Postfix's standard services, without chroot (nothing to copy into a jail, same behaviour in tests).
const STANDARD_SERVICES = `pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd`;

function masterCf(site: Site): string {
  return `${header('#', 'Postfix master.cf: the SMTP listener on loopback, the standard services, the bounce pipe.')}# service type  private unpriv  chroot  wakeup  maxproc command + args
${site.mail.port}        inet  n       -       n       -       -       smtpd
  -o cleanup_service_name=${API_CLEANUP}
# The API's mail only: its envelope sender becomes the bounce address (sender_canonical).
${API_CLEANUP} unix n   -       n       -       0       cleanup
  -o sender_canonical_classes=envelope_sender
  -o sender_canonical_maps=regexp:${mailFiles(site).senderCanonical}
${STANDARD_SERVICES}
# DSNs to the bounce address: pipe(8) runs the handler as the app's user (exit 75 = try again later).
${BOUNCE_SERVICE} unix  -       n       n       -       2       pipe
  flags=Rq user=${site.system.user} argv=${bounceCommand(site).join(' ')}
# listener: site.mail.port; sender_canonical: site.paths.etc + /postfix/sender_canonical; pipe user: site.system.user; handler: site.mail.nodeBinary, site.paths.secrets, site.paths.app
`;
}

function headerChecks(): string {
  return `${header('#', 'Headers Postfix removes from mail it sends out (smtp_header_checks).')}# The hop from the API into Postfix on loopback: internal, and it names the API's host.
/^Received: from [^()]*\\([^()]*\\[(127\\.0\\.0\\.1|IPv6:::1)\\]\\)/ IGNORE
# Mail handed to sendmail on this machine (cron, scripts).
/^Received: by [^ ]+ \\(Postfix, from userid / IGNORE
/^X-Mailer:/ IGNORE
`;
}

function senderCanonical(site: Site): string {
  return `${header('#', 'Envelope senders Postfix rewrites (sender_canonical_maps, envelope_sender class).')}# Every non-null sender becomes the bounce address: site.mail.bounceAddress (default bounces@<site.domain>)
/^.+@.+$/ ${bounceAddress(site)}
`;
}

/** `etc/postfix/{main.cf,master.cf,smtp_header_checks,sender_canonical}`: the send-only Postfix of the shop. */
export function renderPostfix(site: Site): RenderedFile[] {
  return [
    { path: 'etc/postfix/main.cf', content: mainCf(site) },
    { path: 'etc/postfix/master.cf', content: masterCf(site) },
    { path: 'etc/postfix/smtp_header_checks', content: headerChecks() },
    { path: 'etc/postfix/sender_canonical', content: senderCanonical(site) },
  ];
}
