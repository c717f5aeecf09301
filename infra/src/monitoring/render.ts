import { stringify } from 'yaml';
import type { RenderedFile } from '../render.js';
import { header } from '../render.js';
import { apiMetricsPorts, type Site } from '../site.js';
import { renderDashboards } from './dashboards.js';
import { JOBS, monitoringPaths, publicUrl } from './layout.js';
import { renderRules } from './rules.js';

const loopback = (port: number) => `127.0.0.1:${port}`;

/**
 * `etc/default/<service>` of a Debian package: the ARGS its systemd unit passes ($ARGS, split on spaces),
 * on one line since both systemd and the init script read it; each flag's source is named above it.
 */
function defaults(service: string, what: string, args: [flag: string, value: string, source: string][], extra = ''): RenderedFile {
  const sources = args.map(([flag, , source]) => `# ${flag}: ${source}`).join('\n');
  const line = args.map(([flag, value]) => `${flag}=${value}`).join(' ');
  return {
    path: `etc/default/${service}`,
    content: `${header('#', `${what} — read by Debian's ${service}.service (ExecStart=… $ARGS).`)}${extra}${sources}\nARGS="${line}"\n`,
  };
}

/** The flags of an `etc/default/<service>` file's ARGS: what the systemd unit passes. The tests start each server with exactly these. */
export function argsOf(defaultsFile: string): string[] {
  const match = /^ARGS="([^"\n]*)"$/m.exec(defaultsFile);
  if (!match) throw new Error('pas de ARGS="…" dans ce fichier');
  return match[1]!.split(' ').filter((arg) => arg !== '');
}

/** The value of one `NAME='value'` line of an `etc/default/<service>` file. */
export function variableOf(defaultsFile: string, name: string): string {
  const match = new RegExp(`^${name}='([^'\n]*)'$`, 'm').exec(defaultsFile);
  if (!match) throw new Error(`pas de ${name}='…' dans ce fichier`);
  return match[1]!;
}

function prometheusYml(site: Site): string {
  const m = site.monitoring;
  const paths = monitoringPaths(site);
  const target = (port: number, source: string) => `        - ${loopback(port)} # ${source}`;
  const job = (name: string, port: number, source: string) => `  - job_name: ${name}\n    static_configs:\n      - targets:\n${target(port, source)}`;
  // Multi-target exporters: the listed target becomes ?target= and the instance label; the exporter is scraped.
  const probedThrough = (port: number, source: string) =>
    [
      '    relabel_configs:',
      '      - source_labels: [__address__]',
      '        target_label: __param_target',
      '      - source_labels: [__param_target]',
      '        target_label: instance',
      '      - target_label: __address__',
      `        replacement: ${loopback(port)} # ${source}`,
    ].join('\n');
  const api = apiMetricsPorts(site)
    .map((port, i) => target(port, `site.api.metricsPort + ${i} (PM2 instance ${i} of site.api.workers = ${site.api.workers})`))
    .join('\n');
  const redis = m.redis
    .map((server, i) => `    - targets: ['${server.url}'] # site.monitoring.redis[${i}].url\n      labels: { role: ${server.role} }`)
    .join('\n');
  const base = publicUrl(site);
  return `${header('#', 'Prometheus: what it scrapes, its rules and its Alertmanager. Listens on loopback only (see /etc/default/prometheus).')}global:
  scrape_interval: ${m.scrapeIntervalSeconds}s # site.monitoring.scrapeIntervalSeconds
  evaluation_interval: ${m.scrapeIntervalSeconds}s # site.monitoring.scrapeIntervalSeconds
  scrape_timeout: ${Math.min(10, m.scrapeIntervalSeconds)}s # min(10, site.monitoring.scrapeIntervalSeconds)

rule_files:
  - ${paths.rules} # site.paths.etc + /prometheus/girlycrea-rules.yml

alerting:
  alertmanagers:
    - static_configs:
        - targets: ['${loopback(m.alertmanagerPort)}'] # site.monitoring.alertmanagerPort

scrape_configs:
  # One target per PM2 cluster worker: each serves its own /metrics (counters are per process).
  - job_name: ${JOBS.api}
    static_configs:
      - targets:
${api}
  # The outbox and periodic jobs (PM2 app girlycrea-worker).
${job(JOBS.worker, site.worker.metricsPort, 'site.worker.metricsPort')}
${job(JOBS.prometheus, m.prometheusPort, 'site.monitoring.prometheusPort')}
${job(JOBS.alertmanager, m.alertmanagerPort, 'site.monitoring.alertmanagerPort')}
${job(JOBS.node, m.exporters.node, 'site.monitoring.exporters.node')}
${job(JOBS.postgres, m.exporters.postgres, 'site.monitoring.exporters.postgres')}
${job(JOBS.pgbouncer, m.exporters.pgbouncer, 'site.monitoring.exporters.pgbouncer')}
${job(JOBS.nginx, m.exporters.nginx, 'site.monitoring.exporters.nginx')}
  # One redis exporter reads every Redis server: Prometheus passes each as ?target=.
  - job_name: ${JOBS.redis}
    metrics_path: /scrape
    static_configs:
${redis}
${probedThrough(m.exporters.redis, 'site.monitoring.exporters.redis')}
  # From the box itself: the shop, the API's health and the certificate's expiry (probe_ssl_earliest_cert_expiry).
  - job_name: ${JOBS.blackbox}
    metrics_path: /probe
    params:
      module: [http_2xx]
    static_configs:
      - targets:
          - ${base}/ # site.monitoring.publicUrl (default https:// + site.domain)
          - ${base}/api/health
${probedThrough(m.exporters.blackbox, 'site.monitoring.exporters.blackbox')}
`;
}

function alertmanagerYml(site: Site): string {
  const m = site.monitoring;
  const to = m.alertEmail ?? site.adminEmail;
  const from = m.smtp.from ?? `alertes@${site.domain}`;
  const config = {
    global: {
      smtp_smarthost: `${m.smtp.host}:${m.smtp.port}`,
      smtp_from: from,
      smtp_hello: site.domain,
      // The local Postfix on loopback relays (and signs) the mail; there is no TLS on that hop.
      smtp_require_tls: false,
      resolve_timeout: '5m',
    },
    route: {
      receiver: 'proprietaire',
      // One e-mail per kind of problem and job, not per instance: two workers down is one mail.
      group_by: ['alertname', 'job'],
      group_wait: `${m.groupWaitSeconds}s`,
      group_interval: `${m.groupIntervalMinutes}m`,
      repeat_interval: `${m.repeatIntervalHours}h`,
      routes: [
        {
          matchers: ['alertname="Watchdog"'],
          receiver: m.heartbeatUrl ? 'battement' : 'aucun',
          group_wait: '0s',
          group_interval: '1m',
          repeat_interval: '1m',
        },
      ],
    },
    inhibit_rules: [
      // A target that is down explains everything else about it.
      { source_matchers: ['alertname="TargetDown"'], target_matchers: ['alertname!="TargetDown"', 'alertname!="Watchdog"'], equal: ['job', 'instance'] },
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] },
    ],
    receivers: [
      {
        name: 'proprietaire',
        email_configs: [
          {
            to,
            send_resolved: true,
            headers: {
              Subject:
                '[GirlyCrea] {{ if eq .Status "firing" }}ALERTE{{ else }}Résolu{{ end }} {{ .CommonLabels.alertname }} ({{ .Alerts | len }}) : {{ (index .Alerts 0).Annotations.summary }}',
            },
            text: [
              '{{ range .Alerts }}{{ if eq .Status "firing" }}● {{ else }}✓ {{ end }}{{ .Annotations.summary }}',
              '  Premier geste : {{ .Annotations.runbook }}',
              '  ({{ .Labels.alertname }}{{ if .Labels.instance }}, {{ .Labels.instance }}{{ end }}, depuis {{ .StartsAt.Format "02/01 15:04 MST" }})',
              '{{ end }}',
            ].join('\n'),
          },
        ],
      },
      ...(m.heartbeatUrl ? [{ name: 'battement', webhook_configs: [{ url: m.heartbeatUrl, send_resolved: false }] }] : []),
      { name: 'aucun' },
    ],
  };
  const sources = [
    `# smtp_smarthost: site.monitoring.smtp.host:port (the local Postfix); smtp_from: site.monitoring.smtp.from (default alertes@ + site.domain)`,
    `# to: site.monitoring.alertEmail (default site.adminEmail); group_wait/group_interval/repeat_interval: site.monitoring.groupWaitSeconds,`,
    `# groupIntervalMinutes, repeatIntervalHours — together they cap the mail rate: one mail per group per group_interval at most.`,
    `# Watchdog -> ${m.heartbeatUrl ? 'site.monitoring.heartbeatUrl every minute (the dead man\'s switch)' : 'nowhere: set site.monitoring.heartbeatUrl to be told when this box goes silent'}.`,
    '',
  ].join('\n');
  return `${header('#', 'Alertmanager: alert e-mails through the local Postfix, grouped and paced; Watchdog to the outside heartbeat.')}${sources}${stringify(config, { lineWidth: 0 })}`;
}

function blackboxYml(): string {
  const config = {
    modules: {
      http_2xx: {
        prober: 'http',
        timeout: '10s',
        http: { preferred_ip_protocol: 'ip4', ip_protocol_fallback: true, follow_redirects: true, valid_status_codes: [] },
      },
    },
  };
  return `${header('#', 'Blackbox exporter: how the shop is probed from the box (status, latency, certificate expiry).')}${stringify(config)}`;
}

/** Prometheus, Alertmanager, the exporters' settings, the alert rules and the Grafana provisioning. */
export function renderMonitoring(site: Site): RenderedFile[] {
  const m = site.monitoring;
  const paths = monitoringPaths(site);
  // Debian's prometheus-pgbouncer-exporter cannot read PgBouncer 1.18 (see pgbouncer-exporter.ts): ours runs as a service.
  const pgbouncerUnit = `${header('#', 'PgBouncer exporter of the shop (npm run infra -- pgbouncer-exporter), on loopback.')}[Unit]
Description=GirlyCrea PgBouncer exporter for Prometheus
After=network.target pgbouncer.service

[Service]
# systemd takes no trailing comments: User is site.system.user, WorkingDirectory site.paths.app.
User=${site.system.user}
WorkingDirectory=${site.paths.app}
# Listens on 127.0.0.1:${m.exporters.pgbouncer} (site.monitoring.exporters.pgbouncer), reads PgBouncer on 127.0.0.1:${m.pgbouncer.port}
# (site.monitoring.pgbouncer.port) as ${m.pgbouncer.user} (site.monitoring.pgbouncer.user, listed in stats_users).
ExecStart=/usr/bin/npm run --silent infra -- pgbouncer-exporter
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
`;
  return [
    { path: 'etc/prometheus/prometheus.yml', content: prometheusYml(site) },
    { path: 'etc/prometheus/girlycrea-rules.yml', content: renderRules(site) },
    { path: 'etc/prometheus/alertmanager.yml', content: alertmanagerYml(site) },
    { path: 'etc/prometheus/blackbox.yml', content: blackboxYml() },
    { path: 'etc/systemd/system/girlycrea-pgbouncer-exporter.service', content: pgbouncerUnit },
    defaults('prometheus', 'Prometheus flags', [
      ['--config.file', paths.prometheusYml, 'site.paths.etc + /prometheus/prometheus.yml'],
      ['--storage.tsdb.path', paths.tsdb, 'site.monitoring.dataDir + /metrics2'],
      ['--storage.tsdb.retention.time', `${m.retention.days}d`, 'site.monitoring.retention.days'],
      ['--storage.tsdb.retention.size', `${m.retention.sizeGb}GB`, 'site.monitoring.retention.sizeGb'],
      ['--web.listen-address', loopback(m.prometheusPort), 'site.monitoring.prometheusPort, loopback only'],
    ]),
    defaults('prometheus-alertmanager', 'Alertmanager flags', [
      ['--config.file', paths.alertmanagerYml, 'site.paths.etc + /prometheus/alertmanager.yml'],
      ['--storage.path', paths.alertmanagerData, 'site.monitoring.dataDir + /alertmanager'],
      ['--web.listen-address', loopback(m.alertmanagerPort), 'site.monitoring.alertmanagerPort, loopback only'],
      // Empty: no gossip port (its default listens on every address), one Alertmanager on one box.
      ['--cluster.listen-address', '', 'no cluster: one Alertmanager, nothing listening beyond loopback'],
    ]),
    defaults('prometheus-node-exporter', 'node-exporter flags', [
      ['--web.listen-address', loopback(m.exporters.node), 'site.monitoring.exporters.node, loopback only'],
      ['--collector.textfile.directory', m.textfileDir, 'site.monitoring.textfileDir (backup metrics)'],
    ]),
    defaults(
      'prometheus-postgres-exporter',
      'postgres_exporter flags',
      [['--web.listen-address', loopback(m.exporters.postgres), 'site.monitoring.exporters.postgres, loopback only']],
      `# site.monitoring.postgresDsn: a role with pg_monitor, no password (peer authentication on the socket).\nDATA_SOURCE_NAME='${m.postgresDsn}'\n`,
    ),
    defaults('prometheus-redis-exporter', 'redis_exporter flags', [
      ['-web.listen-address', loopback(m.exporters.redis), 'site.monitoring.exporters.redis, loopback only'],
      // Each Redis is read through /scrape?target= (see prometheus.yml); /metrics then reads this one.
      ['-redis.addr', m.redis[0]!.url, 'site.monitoring.redis[0].url'],
    ]),
    defaults('prometheus-nginx-exporter', 'nginx-prometheus-exporter flags', [
      ['-web.listen-address', loopback(m.exporters.nginx), 'site.monitoring.exporters.nginx, loopback only'],
      ['-nginx.scrape-uri', `http://${loopback(site.nginx.statusPort)}/stub_status`, 'site.nginx.statusPort'],
    ]),
    defaults('prometheus-blackbox-exporter', 'blackbox_exporter flags', [
      ['--config.file', paths.blackboxYml, 'site.paths.etc + /prometheus/blackbox.yml'],
      ['--web.listen-address', loopback(m.exporters.blackbox), 'site.monitoring.exporters.blackbox, loopback only'],
    ]),
    ...renderDashboards(site),
  ];
}
