import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const port = z.number().int().min(1).max(65_535);
const absolutePath = z.string().regex(/^\/[^\s'"`$;]*$/, 'chemin absolu sans espace ni guillemet');
const megabytes = z.number().int().min(16);
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
