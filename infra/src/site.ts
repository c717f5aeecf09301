import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const port = z.number().int().min(1).max(65_535);
const absolutePath = z.string().regex(/^\/[^\s'"`$;]*$/, 'chemin absolu sans espace ni guillemet');
const megabytes = z.number().int().min(16);
const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'identifiant PostgreSQL en minuscules');
const domainName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * One VPS, described once. Every number a server config needs comes from here (or is derived from
 * here in one place), so `infra check` can prove the rendered files agree.
 */
export const Site = z.object({
  /** The shop's public host name (certificate, server_name, mail domain). */
  domain: z.string().regex(domainName, 'nom de domaine en minuscules, ex. girlycrea.fr'),
  /** Who receives certificate and alert mail. */
  adminEmail: z.email(),
  /** The machine the configs are sized for. */
  machine: z.object({
    ramMb: z.number().int().min(1024).max(1_048_576),
    cores: z.number().int().min(1).max(256),
  }),
  /** Cloudflare in front: trust its ranges for the client IP (and only then). */
  cloudflare: z.boolean().default(false),
  /** System accounts. */
  system: z
    .object({
      /** Runs PM2 and owns the app. */
      user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).default('girlycrea'),
      /** Nginx's worker user (Debian: www-data). */
      nginxUser: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).default('www-data'),
    })
    .prefault({}),
  paths: z
    .object({
      /** The git checkout the shop runs from. */
      app: absolutePath.default('/srv/girlycrea/app'),
      /** Uploaded product images, served by Nginx from disk. */
      uploads: absolutePath.default('/srv/girlycrea/uploads'),
      /** PM2's log files (JSON lines), rotated by logrotate. */
      logs: absolutePath.default('/var/log/girlycrea'),
      /** PM2_HOME, the deploy's release pointer. */
      run: absolutePath.default('/var/lib/girlycrea'),
      /** Where the rendered `etc/` tree is installed. */
      etc: absolutePath.default('/etc'),
      /** The root-only environment file holding the secrets (DATABASE_URL, REDIS_URL…). */
      secrets: absolutePath.default('/etc/girlycrea/girlycrea.env'),
      /** Nginx's micro-cache and temporary files. */
      nginxCache: absolutePath.default('/var/cache/nginx/girlycrea'),
      /** Nginx's logs. */
      nginxLogs: absolutePath.default('/var/log/nginx'),
      /** Nginx's pid file (Debian's systemd unit expects this one). */
      nginxPid: absolutePath.default('/run/nginx.pid'),
      /** Webroot for certbot's HTTP-01 challenges. */
      acme: absolutePath.default('/var/www/letsencrypt'),
    })
    .prefault({}),
  /** Plausible analytics (no cookies): the storefront loads its script, the CSP allows its origin. */
  analytics: z.object({ plausibleDomain: z.string().min(3), plausibleScriptUrl: z.url({ protocol: /^https$/ }) }).optional(),
  /** TLS certificate and key; default: certbot's paths for the domain. */
  tls: z.object({ certificate: absolutePath, key: absolutePath }).optional(),
  api: z
    .object({
      /** PM2 cluster workers sharing one port. */
      workers: z.number().int().min(1).max(64).default(2),
      port: port.default(3001),
      /** Worker i serves /metrics on 127.0.0.1:(metricsPort + i). */
      metricsPort: port.default(9464),
      /** Connections per worker to PgBouncer. */
      poolMax: z.number().int().min(1).max(200).default(10),
      /** How long a request waits for a database connection before answering 503 (DATABASE_CONNECT_TIMEOUT_MS). */
      databaseConnectTimeoutMs: z.number().int().min(100).max(60_000).default(1000),
      /** How long it waits for one query's answer before answering 503 (DATABASE_QUERY_TIMEOUT_MS): a frozen database. */
      databaseQueryTimeoutMs: z.number().int().min(100).max(600_000).default(1000),
      /** How long a stopping worker lets in-flight requests finish. */
      shutdownTimeoutMs: z.number().int().min(1000).max(120_000).default(10_000),
      /** PM2 restarts a worker above this resident size. */
      memoryMb: megabytes.default(300),
    })
    .prefault({}),
  web: z
    .object({
      /** Next.js processes (PM2 cluster mode, one port). */
      instances: z.number().int().min(1).max(16).default(1),
      port: port.default(3000),
      /** The ISR cache and heap reached 650 MB in the bench. */
      memoryMb: megabytes.default(800),
    })
    .prefault({}),
  /** The e-mail outbox and periodic jobs, in their own process. */
  worker: z
    .object({
      metricsPort: port.default(9474),
      memoryMb: megabytes.default(256),
    })
    .prefault({}),
  /** PostgreSQL 15 (Debian's cluster 15/main): where it lives, its roles, and what the tuning reserves. */
  postgres: z
    .object({
      port: port.default(5432),
      /** The cluster's data (initdb'd by Debian's package). */
      dataDir: absolutePath.default('/var/lib/postgresql/15/main'),
      /** Unix socket and pid files. */
      runDir: absolutePath.default('/var/run/postgresql'),
      /** The shop's database. */
      database: identifier.default('girlycrea'),
      /** Owns the schema; migrations run as it, directly (DATABASE_DIRECT_URL). */
      ownerRole: identifier.default('girlycrea_owner'),
      /** What the API and the worker use, through PgBouncer: reads and writes rows, nothing else. */
      appRole: identifier.default('girlycrea_app'),
      /** Read-only statistics for the exporter (pg_monitor), directly. */
      monitorRole: identifier.default('girlycrea_monitor'),
      /** The app role's statement_timeout (per role: PgBouncer rejects it as a startup parameter). */
      statementTimeoutMs: z.number().int().min(100).max(600_000).default(15_000),
      /** The app role's idle_in_transaction_session_timeout. */
      idleInTransactionTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
      /** Direct connections for migrations, psql, the exporter and pg_dump. */
      maintenanceConnections: z.number().int().min(2).max(100).default(10),
      /** Connections pgBackRest takes during a backup (its WAL streaming uses max_wal_senders instead). */
      backupConnections: z.number().int().min(1).max(20).default(3),
      /** Solid-state disk (any VPS today): random reads cost about as much as sequential ones. */
      ssd: z.boolean().default(true),
    })
    .prefault({}),
  /** PgBouncer 1.18 in transaction mode, between the Node processes and PostgreSQL. */
  pgbouncer: z
    .object({
      port: port.default(6432),
      /** Unix socket and pid file (Debian: /var/run/postgresql, owned by postgres). */
      runDir: absolutePath.default('/var/run/postgresql'),
      logFile: absolutePath.default('/var/log/postgresql/pgbouncer.log'),
      /** Client connections PgBouncer accepts; the server pool stays small. */
      maxClientConn: z.number().int().min(10).max(100_000).default(1000),
      /** A client waiting this long for a server connection gets an error instead of hanging. */
      queryWaitTimeoutSeconds: z.number().int().min(1).max(600).default(10),
      /** A transaction left idle this long is closed (a leaked client cannot hold a server connection). */
      idleTransactionTimeoutSeconds: z.number().int().min(1).max(3600).default(60),
      /**
       * Forward every database name, each with its own pool (the test run clones one database per
       * file). The VPS forwards only site.postgres.database.
       */
      allDatabases: z.boolean().default(false),
    })
    .prefault({}),
  /** Two redis-server instances (Debian's redis-server@<name> units): state and cache (ARCHITECTURE.md). */
  redis: z
    .object({
      /** Sessions, carts, rate limits: AOF, noeviction. */
      statePort: port.default(6379),
      /** Response bodies: allkeys-lru, no persistence. */
      cachePort: port.default(6380),
      /** Each instance keeps its files in dataDir/<name>. */
      dataDir: absolutePath.default('/var/lib/redis'),
      logDir: absolutePath.default('/var/log/redis'),
      /** Each instance's pid file is runDir/redis-<name>/redis-server.pid (the unit's RuntimeDirectory). */
      runDir: absolutePath.default('/run'),
    })
    .prefault({}),
  nginx: z
    .object({
      /** Empty: every address (production). Tests bind 127.0.0.1. */
      listenAddress: z.string().default(''),
      httpPort: port.default(80),
      httpsPort: port.default(443),
      /** stub_status for the exporter, on loopback only. */
      statusPort: port.default(8081),
      /** How long anonymous catalog answers and pages are shared. */
      microCacheSeconds: z.number().int().min(1).max(60).default(5),
      /**
       * How long Nginx keeps an idle upstream socket. Below Node's keepAliveTimeout (65 s), so Nginx
       * never reuses a socket Node closed, and below the drain time of a stopping process
       * (site.api.shutdownTimeoutMs), which waits for Nginx to close its idle sockets.
       */
      upstreamKeepaliveSeconds: z.number().int().min(1).max(64).default(4),
      /** Largest request body (image uploads). */
      maxBodyMb: z.number().int().min(1).max(100).default(12),
      /** Brotli besides gzip (provisioning installs Debian's libnginx-mod-http-brotli-filter). */
      brotli: z.boolean().default(true),
      /** DNS resolvers Nginx uses for OCSP stapling. */
      resolvers: z.array(z.string().regex(/^[0-9a-f.:[\]]+$/i)).min(1).default(['1.1.1.1', '9.9.9.9']),
    })
    .prefault({}),
  /** pgBackRest (PostgreSQL, point-in-time recovery), Borg (files), the weekly restore drill. */
  backup: z
    .object({
      /** The pgBackRest stanza: one per PostgreSQL cluster. */
      stanza: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/).default('girlycrea'),
      /** The shop's database: what the drill verifies. */
      database: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).default('girlycrea'),
      postgres: z
        .object({
          /** The cluster's data directory (Debian: /var/lib/postgresql/15/main). */
          dataDir: absolutePath.default('/var/lib/postgresql/15/main'),
          port: port.default(5432),
          /** Unix socket directory pgBackRest and the drill connect through. */
          socketDir: absolutePath.default('/var/run/postgresql'),
          /** PostgreSQL 15's programs (initdb, pg_ctl, pg_amcheck). */
          binDir: absolutePath.default('/usr/lib/postgresql/15/bin'),
          /** The system user owning the cluster; pgBackRest runs as it. */
          user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).default('postgres'),
        })
        .prefault({}),
      /** A forced WAL switch at least this often: at most this many seconds of commits wait outside the archive. */
      archiveTimeoutSeconds: z.number().int().min(10).max(3600).default(60),
      /** Processes pgBackRest uses for compression and transfer. */
      processMax: z.number().int().min(1).max(32).default(2),
      /** repo1: on this machine, on another disk than the data directory. */
      local: z
        .object({
          path: absolutePath.default('/var/backups/pgbackrest'),
          /** Full backups kept (with the WAL they need); differentials hang off them. */
          retentionFull: z.number().int().min(1).max(52).default(2),
          retentionDiff: z.number().int().min(1).max(60).default(7),
        })
        .prefault({}),
      /** repo2: off-site, S3-compatible, encrypted (keys in pgBackRest's root-only conf.d file, never here). */
      s3: z
        .object({
          endpoint: z.string().regex(/^[a-z0-9.-]+$/i, 'nom d’hôte sans https://'),
          /** Port of the endpoint (443 for a hosted S3). */
          port: port.default(443),
          bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
          region: z.string().min(1).default('us-east-1'),
          /** Folder inside the bucket. */
          path: absolutePath.default('/pgbackrest'),
          /** `path` for MinIO and most self-hosted servers, `host` for AWS. */
          uriStyle: z.enum(['host', 'path']).default('path'),
          /** CA bundle of a private endpoint; default: the system's. */
          caFile: absolutePath.optional(),
          /** Only for a test server with a self-signed certificate. */
          verifyTls: z.boolean().default(true),
          retentionFull: z.number().int().min(1).max(52).default(4),
        })
        .optional(),
      /** pgBackRest's lock, log and asynchronous-archive spool folders. */
      lockPath: absolutePath.default('/tmp/pgbackrest'),
      logPath: absolutePath.default('/var/log/pgbackrest'),
      spoolPath: absolutePath.default('/var/spool/pgbackrest'),
      /** systemd OnCalendar= expressions (server time). */
      schedule: z
        .object({
          full: z.string().min(3).default('Sun *-*-* 03:00:00'),
          diff: z.string().min(3).default('Mon..Sat *-*-* 03:00:00'),
          files: z.string().min(3).default('*-*-* 02:30:00'),
          drill: z.string().min(3).default('Sun *-*-* 05:00:00'),
        })
        .prefault({}),
      /** The restore drill's scratch cluster: restored here, started on this loopback port, then removed. */
      drill: z
        .object({
          dir: absolutePath.default('/var/tmp/girlycrea-drill'),
          port: port.default(5499),
        })
        .prefault({}),
      /** node-exporter's textfile collector folder: one .prom file per backup job. */
      metricsDir: absolutePath.default('/var/lib/prometheus/node-exporter'),
      /** Borg: what PostgreSQL does not hold. */
      borg: z
        .object({
          repo: absolutePath.default('/var/backups/borg'),
          /** Root-only file holding the repokey passphrase (provisioning creates it; keep a copy off the VPS). */
          passphraseFile: absolutePath.default('/etc/girlycrea/borg.passphrase'),
          /** Archived besides site.paths.uploads and site.paths.secrets. */
          paths: z.array(absolutePath).default(['/etc/girlycrea', '/etc/nginx', '/etc/pgbackrest', '/etc/postgresql', '/etc/opendkim', '/etc/postfix', '/etc/redis']),
          /** Borg's cache and key-security folder (BORG_BASE_DIR). */
          cacheDir: absolutePath.default('/var/cache/girlycrea-borg'),
          /** Redis' AOF and RDB (carts and sessions). */
          redisDir: absolutePath.default('/var/lib/redis'),
          keepDaily: z.number().int().min(1).max(365).default(7),
          keepWeekly: z.number().int().min(0).max(104).default(4),
          keepMonthly: z.number().int().min(0).max(120).default(6),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Prometheus, Alertmanager and the Debian exporters: all on loopback; the owner reaches them through an SSH tunnel. */
  monitoring: z
    .object({
      prometheusPort: port.default(9090),
      alertmanagerPort: port.default(9093),
      /** Where the owner's Grafana (Grafana's own Debian repository) listens: off 3000, which Next.js takes. */
      grafanaPort: port.default(3100),
      /** Debian's exporters, each on 127.0.0.1. */
      exporters: z
        .object({
          node: port.default(9100),
          postgres: port.default(9187),
          pgbouncer: port.default(9127),
          redis: port.default(9121),
          nginx: port.default(9113),
          blackbox: port.default(9115),
        })
        .prefault({}),
      /** The Redis servers the redis exporter reads (state: AOF + noeviction; cache: allkeys-lru). */
      redis: z
        .array(z.object({ role: z.enum(['state', 'cache']), url: z.string().regex(/^rediss?:\/\/[^\s'"]+$/, 'URL redis://hôte:port') }))
        .min(1)
        .default([
          { role: 'state', url: 'redis://127.0.0.1:6379' },
          { role: 'cache', url: 'redis://127.0.0.1:6380' },
        ]),
      /** PostgreSQL as the postgres exporter reaches it (a role with pg_monitor, peer auth on the socket). */
      /** Prometheus' TSDB and Alertmanager's state (Debian's folder). */
      dataDir: absolutePath.default('/var/lib/prometheus'),
      /** node-exporter's textfile collector folder: the backup jobs write their *.prom files here. */
      textfileDir: absolutePath.default('/var/lib/prometheus/node-exporter'),
      postgresDsn: z.string().regex(/^postgres(ql)?:\/\/[^\s']+$/, 'URL postgresql://… sans espace ni apostrophe').default('postgresql://prometheus@:5432/postgres?host=/run/postgresql&sslmode=disable'),
      /** PgBouncer's port and the stats user the pgbouncer exporter signs in as (listed in stats_users). */
      pgbouncer: z.object({ port: port.default(6432), user: z.string().min(1).default('pgbouncer') }).prefault({}),
      /** The public URL the blackbox exporter probes (shop, /api/health, certificate); default https:// + domain. */
      publicUrl: z.url({ protocol: /^https?$/ }).optional(),
      scrapeIntervalSeconds: z.number().int().min(1).max(300).default(15),
      /** Samples kept: whichever limit comes first. 4 GB is ~5 % of an 80 GB VPS disk (~1 GB a month at this scale). */
      retention: z.object({ days: z.number().int().min(1).max(3650).default(30), sizeGb: z.number().int().min(1).max(10_000).default(4) }).prefault({}),
      /** Who gets the alert e-mails (default: adminEmail). */
      alertEmail: z.email().optional(),
      /** The MTA Alertmanager hands mail to: the local Postfix. */
      smtp: z.object({ host: z.string().min(1).default('127.0.0.1'), port: port.default(25), from: z.email().optional() }).prefault({}),
      /**
       * The dead man's switch: Alertmanager posts the always-firing Watchdog here every minute, and the
       * outside service (any healthchecks-style one) mails the owner when the posts stop.
       */
      heartbeatUrl: z.url({ protocol: /^https?$/ }).optional(),
      /** Alert e-mail pacing: first wait (to group), between updates of a group, before repeating an unchanged one. */
      groupWaitSeconds: z.number().int().min(1).max(600).default(30),
      groupIntervalMinutes: z.number().int().min(1).max(120).default(5),
      repeatIntervalHours: z.number().int().min(1).max(168).default(4),
      /** How long a target must stay unreachable before the target-down alert fires. */
      targetDownForSeconds: z.number().int().min(1).max(3600).default(120),
      /** "No order for N hours", only between these hours, in UTC (Paris is UTC+1 in winter, UTC+2 in summer). */
      noOrder: z
        .object({ hours: z.number().int().min(1).max(72).default(6), fromHour: z.number().int().min(0).max(23).default(8), toHour: z.number().int().min(1).max(24).default(20) })
        .prefault({}),
    })
    .prefault({}),
  /** Outgoing mail: Postfix (send-only, loopback) signing with OpenDKIM. */
  mail: z
    .object({
      /** HELO name and the name the PTR record must give; default mail.<domain> (its A record is not proxied). */
      hostname: z.string().regex(domainName, 'nom d’hôte en minuscules, ex. mail.girlycrea.fr').optional(),
      /** DKIM selector: the key is published at <selector>._domainkey.<domain>. */
      selector: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'sélecteur DKIM : lettres minuscules, chiffres, tirets').default('girlycrea'),
      /** Postfix's SMTP listener, on loopback only (the API's SMTP_URL). */
      port: port.default(25),
      /** OpenDKIM's milter socket, on 127.0.0.1. */
      dkimPort: port.default(8891),
      /** Largest message Postfix accepts. */
      messageSizeLimitMb: z.number().int().min(1).max(100).default(20),
      /** Envelope sender of every message: Postfix's bounces (DSNs) to it are piped to the bounce handler. Default bounces@<domain>. */
      bounceAddress: z.email().optional(),
      /** Where receivers send DMARC aggregate reports (rua). Default: adminEmail. */
      dmarcReportAddress: z.email().optional(),
      /** The VPS's public addresses: SPF and the reverse DNS (PTR) the provider must set. */
      addresses: z.object({ ipv4: z.ipv4().optional(), ipv6: z.ipv6().optional() }).prefault({}),
      /** Other senders of the domain for SPF (e.g. the owner's mailbox provider), as include: domains. */
      spfInclude: z.array(z.string().regex(domainName)).default([]),
      /** Smart host for providers that block port 25; SASL credentials stay in `passwordFile` on the VPS. */
      relayhost: z
        .object({
          host: z.string().regex(/^[a-z0-9.-]+$/i, 'nom d’hôte ou adresse IPv4'),
          port: port.default(587),
          /** Postfix texthash file `[host]:port user:password` (root-only); absent: no SASL. */
          passwordFile: absolutePath.optional(),
          /** The provider's SPF include (e.g. mailgun.org). */
          spfInclude: z.string().regex(domainName).optional(),
        })
        .optional(),
      /** Postfix's queue: mail waiting while the next hop is down lives here, across restarts. */
      queueDirectory: absolutePath.default('/var/spool/postfix'),
      /** Postfix's writable data (TLS session cache, PRNG). */
      dataDirectory: absolutePath.default('/var/lib/postfix'),
      /** Postfix's log (postlogd): one line per message and hop, the place to read when mail is late. */
      logFile: absolutePath.default('/var/log/postfix.log'),
      /** OpenDKIM's pid file. */
      dkimPidFile: absolutePath.default('/run/opendkim/opendkim.pid'),
      /** OpenDKIM's system user (Debian: opendkim); it alone reads the private key. */
      dkimUser: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).default('opendkim'),
      /** Node, which runs the bounce handler Postfix pipes DSNs to. */
      nodeBinary: absolutePath.default('/usr/bin/node'),
      /** The bounce handler's command line; default: nodeBinary --env-file=<paths.secrets> <paths.app>/packages/mailer/dist/cli/bounce.js. */
      bounceCommand: z.array(z.string().regex(/^[^\s'"`$;]+$/)).min(1).optional(),
    })
    .prefault({}),
});
export type Site = z.infer<typeof Site>;

/** Parses a site file's content; throws naming every bad field. */
export function parseSite(value: unknown, source = 'site'): Site {
  const parsed = Site.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(racine)'} : ${issue.message}`).join('\n');
    throw new Error(`Fichier de site invalide (${source}) :\n${problems}`);
  }
  return parsed.data;
}

/** Reads and validates a site file. */
export async function loadSite(path: string): Promise<Site> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Fichier de site illisible : ${path} (${error.code ?? error.message}). Copiez infra/site.example.json en infra/site.json.`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Fichier de site ${path} : JSON invalide (${(error as Error).message})`);
  }
  return parseSite(json, path);
}

/** The certificate and key Nginx serves: the site file's, or certbot's for the domain. */
export function tlsFiles(site: Site): { certificate: string; key: string } {
  return site.tls ?? { certificate: `/etc/letsencrypt/live/${site.domain}/fullchain.pem`, key: `/etc/letsencrypt/live/${site.domain}/privkey.pem` };
}

/** The metrics ports of the API workers, in PM2 instance order. */
export function apiMetricsPorts(site: Site): number[] {
  return Array.from({ length: site.api.workers }, (_, i) => site.api.metricsPort + i);
}
