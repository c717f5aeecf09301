#!/usr/bin/env bash
# Installs and checks what `npm test` needs beyond node_modules: Debian packages (chromium drives
# the e2e browser suite through playwright-core) and the PostgreSQL 15 / Redis 7 servers.
# Idempotent; says exactly what is missing when it cannot fix it.
set -euo pipefail

dry_run=false
[[ "${1:-}" == "--dry-run" ]] && dry_run=true

# command (or absolute file path) -> Debian package that provides it
declare -A needs=(
  [pgbouncer]=pgbouncer
  [redis-server]=redis-server
  [chromium]=chromium
  [nginx]=nginx
  [/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so]=libnginx-mod-http-brotli-filter
  [shellcheck]=shellcheck
  [nft]=nftables
  [fail2ban-regex]=fail2ban
  [certbot]=certbot
  [unattended-upgrade]=unattended-upgrades
  # provision's --root test finds every package of the VPS installed
  [/usr/lib/python3/dist-packages/systemd/journal.py]=python3-systemd
  [/lib/systemd/systemd-timesyncd]=systemd-timesyncd
  [pgbackrest]=pgbackrest
  [borg]=borgbackup
  [/usr/lib/postgresql/15/bin/pg_amcheck]=postgresql-15
  [prometheus]=prometheus
  [promtool]=prometheus
  [prometheus-alertmanager]=prometheus-alertmanager
  [amtool]=prometheus-alertmanager
  [prometheus-node-exporter]=prometheus-node-exporter
  [prometheus-postgres-exporter]=prometheus-postgres-exporter
  [prometheus-redis-exporter]=prometheus-redis-exporter
  [prometheus-nginx-exporter]=prometheus-nginx-exporter
  [prometheus-blackbox-exporter]=prometheus-blackbox-exporter
  [postfix]=postfix
  [opendkim]=opendkim
  # npm run bench fires its fixed-path loads with wrk
  [wrk]=wrk
)

missing=()
for cmd in "${!needs[@]}"; do
  if [[ "$cmd" == /* ]]; then
    [[ -e "$cmd" ]] || missing+=("${needs[$cmd]}")
  elif ! command -v "$cmd" >/dev/null 2>&1 && [[ ! -x "/usr/sbin/$cmd" ]]; then
    missing+=("${needs[$cmd]}")
  fi
done

# initdb is not on PATH: the migration tests start a second PostgreSQL 15 cluster of their own.
[[ -x /usr/lib/postgresql/15/bin/initdb ]] || missing+=(postgresql-15)

if ((${#missing[@]})); then
  if $dry_run; then
    echo "would run: apt-get install -y ${missing[*]}"
  elif [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "test setup: installing ${missing[*]} (Debian packages)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "npm test needs these Debian packages: ${missing[*]}" >&2
    echo "Install them, then run npm test again:  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

pg_url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
redis_url="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
if ! node -e "
  const net = require('node:net');
  const check = (url) => new Promise((ok) => {
    const u = new URL(url);
    const s = net.createConnection({ host: u.hostname, port: Number(u.port) });
    s.setTimeout(2000, () => { s.destroy(); ok(url); });
    s.once('connect', () => { s.destroy(); ok(null); });
    s.once('error', () => ok(url));
  });
  Promise.all([check('$pg_url'), check('$redis_url')]).then((down) => {
    down = down.filter(Boolean);
    if (down.length) { console.error('unreachable: ' + down.join(', ')); process.exit(1); }
  });
"; then
  echo "npm test needs PostgreSQL 15 (TEST_DATABASE_URL, default $pg_url, superuser, trust auth)" >&2
  echo "and Redis 7 (TEST_REDIS_URL, default $redis_url) running. Start them, then run npm test again." >&2
  exit 1
fi
echo "test setup: Debian packages, PostgreSQL and Redis ready"
