import { join } from 'node:path';
import type { RenderedFile } from '../render.js';
import { header } from '../render.js';
import type { Site } from '../site.js';

/** The swap file provisioning creates when the machine has less RAM than this. */
export const SWAP_BELOW_RAM_MB = 4096;

/**
 * The machine around the shop: nftables (SSH, HTTP, HTTPS only), fail2ban (sshd, and clients Nginx
 * keeps answering 429), unattended security upgrades, certbot's renewal hook, and the systemd unit
 * that runs PM2 at boot.
 */
export function renderSystem(site: Site): RenderedFile[] {
  const { nginx } = site;
  const nftables = `${header('#', 'nftables: only SSH, HTTP and HTTPS reach the machine; everything else listens on loopback.')}# Our own table, flushed and rebuilt on each load: fail2ban's table (f2b-table) is left alone.
table inet girlycrea
flush table inet girlycrea
table inet girlycrea {
  chain input {
    type filter hook input priority filter; policy drop;
    iif lo accept
    ct state established,related accept
    ct state invalid drop
    meta l4proto { icmp, ipv6-icmp } accept
    tcp dport 22 accept
    tcp dport { ${nginx.httpPort}, ${nginx.httpsPort} } accept # site.nginx.httpPort, site.nginx.httpsPort
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
  }
}
`;
  const jail = `${header('#', 'fail2ban jails of the shop.')}[DEFAULT]
banaction = nftables-multiport
banaction_allports = nftables-allports

[sshd]
enabled = true
# Debian 12 logs sshd to the journal only.
backend = systemd

[girlycrea-nginx-429]
# A client Nginx answered 429 thirty times in a minute is banned for ten minutes.
enabled = true
port = ${nginx.httpPort},${nginx.httpsPort}
filter = girlycrea-nginx-429
logpath = ${join(site.paths.nginxLogs, 'access.log')}
backend = auto
maxretry = 30
findtime = 60
bantime = 600
`;
  const filter = `${header('#', "fail2ban filter: 429 answers in the shop's JSON access log (log_format gc_json).")}[Definition]
# fail2ban cuts the ISO time out of the line before matching, so the pattern starts at "ip".
failregex = "ip":"<HOST>",.*"status":429,
ignoreregex =
`;
  const upgrades = `${header('//', 'Unattended upgrades: Debian security updates every day (origins in 50unattended-upgrades).')}APT::Periodic::Update-Package-Lists "1";
APT::Periodic::Unattended-Upgrade "1";
APT::Periodic::AutocleanInterval "7";
`;
  const renewHook = `#!/usr/bin/env bash
${header('#', 'certbot deploy hook: a renewed certificate is served at once.')}set -euo pipefail
nginx -t -q
systemctl reload nginx
`;
  const unit = `${header('#', 'systemd: the shop under PM2 (npm start runs the PM2 daemon in the foreground), started at boot.')}[Unit]
Description=GirlyCrea (PM2: API, storefront, worker)
After=network-online.target postgresql.service pgbouncer.service redis-server@state.service redis-server@cache.service
Wants=network-online.target

[Service]
Type=simple
User=${site.system.user}
Group=${site.system.user}
WorkingDirectory=${site.paths.app}
Environment=PM2_HOME=${join(site.paths.run, 'pm2')}
ExecStart=/usr/bin/npm start
Restart=always
RestartSec=5
TimeoutStopSec=${Math.ceil(site.api.shutdownTimeoutMs / 1000) + 15}
LimitNOFILE=65535

[Install]
WantedBy=multi-user.target
`;
  return [
    { path: 'etc/nftables.conf', content: nftables },
    { path: 'etc/fail2ban/jail.d/girlycrea.conf', content: jail },
    { path: 'etc/fail2ban/filter.d/girlycrea-nginx-429.conf', content: filter },
    { path: 'etc/apt/apt.conf.d/20auto-upgrades', content: upgrades },
    { path: 'etc/letsencrypt/renewal-hooks/deploy/girlycrea-reload-nginx', content: renewHook, mode: 0o755 },
    { path: 'etc/systemd/system/girlycrea.service', content: unit },
  ];
}
