import { Document } from 'yaml';
import { header } from '../render.js';
import type { Site } from '../site.js';

/** One alerting rule: PromQL, how long it must hold, and what the owner reads (French) and does first. */
export interface AlertRule {
  alert: string;
  expr: string;
  /** Prometheus duration, e.g. `5m`; absent: fires at the first true evaluation. */
  for?: string;
  severity: 'critical' | 'warning' | 'none';
  /** French, one line; may name `{{ $labels.<label> }}`. */
  summary: string;
  /** French: the first thing to do. */
  runbook: string;
  /** Where a threshold comes from (a site field or a constant's reason), written above the rule. */
  source?: string;
}

/** The latency and ratio thresholds the rules use (see infra/docs/monitoring.md). */
export const THRESHOLDS = {
  cpuPercent: 80,
  memoryPercent: 90,
  diskPercent: 85,
  postgresConnectionsRatio: 0.8,
  errorRatio5xx: 0.05,
  catalogP99Seconds: 0.5,
  checkoutP99Seconds: 2,
  checkoutFailureRatio: 0.3,
  checkoutFailureMin: 5,
  outboxPending: 100,
  outboxOldestSeconds: 600,
  expiryStaleSeconds: 900,
  backupMaxAgeSeconds: 26 * 3600,
  certificateDays: 14,
  redisMemoryRatio: 0.9,
  restartsIn15m: 3,
} as const;

const API = 'job="girlycrea-api"';
const FS = 'fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs"';

/** Every alert of the shop, in the order of infra/docs/monitoring.md. */
export function alertRules(site: Site): AlertRule[] {
  const m = site.monitoring;
  const t = THRESHOLDS;
  return [
    {
      alert: 'Watchdog',
      expr: 'up{job="prometheus"} == 1',
      severity: 'none',
      summary: 'Battement de cœur de la surveillance (toujours active tant que Prometheus tourne)',
      runbook: 'rien à faire : si le service de battement externe ne le reçoit plus, le serveur ou sa surveillance est tombé',
      source: 'fires while Prometheus scrapes itself; Alertmanager posts it to site.monitoring.heartbeatUrl every minute',
    },
    {
      alert: 'TargetDown',
      expr: 'up == 0',
      for: `${m.targetDownForSeconds}s`,
      severity: 'critical',
      summary: 'Cible {{ $labels.job }} injoignable ({{ $labels.instance }})',
      runbook: 'pm2 status (girlycrea-*) ou systemctl status du service ; lire ses journaux, puis le redémarrer',
      source: 'for: site.monitoring.targetDownForSeconds',
    },
    {
      alert: 'HostCpuHigh',
      expr: `100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[5m]))) > ${t.cpuPercent}`,
      for: '10m',
      severity: 'warning',
      summary: `Processeur occupé à plus de ${t.cpuPercent} % depuis 10 minutes`,
      runbook: 'top / pm2 monit : quel processus consomme ? Un pic de trafic ou une requête lente (pg_stat_activity) ?',
    },
    {
      alert: 'HostMemoryHigh',
      expr: `100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) > ${t.memoryPercent}`,
      for: '5m',
      severity: 'critical',
      summary: `Mémoire utilisée à plus de ${t.memoryPercent} %`,
      runbook: 'free -m puis pm2 status (colonne mem) : redémarrer le processus qui enfle (pm2 reload girlycrea-api)',
    },
    {
      alert: 'HostDiskFull',
      expr: `100 * (1 - node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}}) > ${t.diskPercent}`,
      for: '10m',
      severity: 'critical',
      summary: `Disque {{ $labels.mountpoint }} rempli à plus de ${t.diskPercent} %`,
      runbook: 'du -xh --max-depth=2 sur ce disque : journaux (/var/log), sauvegardes locales, WAL non archivés ?',
    },
    {
      alert: 'PostgresDown',
      expr: 'pg_up == 0',
      for: '1m',
      severity: 'critical',
      summary: 'PostgreSQL ne répond plus à son exporteur',
      runbook: 'systemctl status postgresql@15-main ; journalctl -u postgresql@15-main ; disque plein ?',
    },
    {
      alert: 'PostgresConnectionsNearLimit',
      expr: `sum(pg_stat_database_numbackends) / max(pg_settings_max_connections) > ${t.postgresConnectionsRatio}`,
      for: '5m',
      severity: 'warning',
      summary: `Connexions PostgreSQL au-delà de ${t.postgresConnectionsRatio * 100} % de max_connections`,
      runbook: 'SELECT application_name, state, count(*) FROM pg_stat_activity GROUP BY 1, 2 : qui garde des connexions ?',
    },
    {
      alert: 'ApiErrorRateHigh',
      expr: `sum(rate(http_request_duration_seconds_count{${API},status=~"5.."}[5m])) / sum(rate(http_request_duration_seconds_count{${API}}[5m])) > ${t.errorRatio5xx}`,
      for: '5m',
      severity: 'critical',
      summary: `Plus de ${t.errorRatio5xx * 100} % des réponses de l'API sont des erreurs 5xx`,
      runbook: 'pm2 logs girlycrea-api --lines 200 (erreurs « request failed ») ; base, Redis ou PgBouncer tombés ?',
    },
    {
      alert: 'CatalogLatencyHigh',
      expr: `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${API},route=~"/api/products.*|/api/categories"}[5m]))) > ${t.catalogP99Seconds}`,
      for: '10m',
      severity: 'warning',
      summary: `Catalogue lent : 99e centile au-dessus de ${t.catalogP99Seconds} s`,
      runbook: 'Redis (cache) joignable ? Requêtes lentes dans pg_stat_statements ? Processeur saturé ?',
    },
    {
      alert: 'CheckoutLatencyHigh',
      expr: `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${API},route="/api/checkout"}[5m]))) > ${t.checkoutP99Seconds}`,
      for: '10m',
      severity: 'warning',
      summary: `Commande lente : 99e centile au-dessus de ${t.checkoutP99Seconds} s`,
      runbook: 'PgBouncer : clients en attente ? Verrous (pg_locks) sur variants ? Prestataire de paiement lent ?',
    },
    {
      alert: 'CheckoutFailureRatioHigh',
      expr:
        `sum(increase(checkout_failures_total{reason!="validation"}[30m])) / (sum(increase(orders_created_total[30m])) + sum(increase(checkout_failures_total{reason!="validation"}[30m]))) > ${t.checkoutFailureRatio}` +
        ` and sum(increase(checkout_failures_total{reason!="validation"}[30m])) >= ${t.checkoutFailureMin}`,
      for: '5m',
      severity: 'warning',
      summary: `Plus de ${t.checkoutFailureRatio * 100} % des commandes échouent (30 dernières minutes)`,
      runbook: 'tableau Boutique, panneau « Échecs de commande par motif » : rupture de stock, paiement refusé ou autre ?',
      source: `at least ${t.checkoutFailureMin} failures, so one unlucky customer at night is not an alert`,
    },
    {
      alert: 'NoOrders',
      expr: `sum(increase(orders_created_total[${m.noOrder.hours}h])) == 0 and on () (hour() >= ${m.noOrder.fromHour} and hour() < ${m.noOrder.toHour})`,
      severity: 'warning',
      summary: `Aucune commande depuis ${m.noOrder.hours} heures`,
      runbook: 'passer une commande test sur le site (panier puis paiement) ; paiement ou page panier en panne ?',
      source: 'site.monitoring.noOrder.hours, between site.monitoring.noOrder.fromHour and toHour (UTC)',
    },
    {
      alert: 'OutboxBacklog',
      expr: `max(outbox_messages{status="pending"}) > ${t.outboxPending} or max(outbox_oldest_pending_age_seconds) > ${t.outboxOldestSeconds}`,
      for: '5m',
      severity: 'critical',
      summary: 'E-mails en retard : la file d\'envoi ne se vide plus (plus de 10 minutes d\'attente)',
      runbook: 'pm2 status girlycrea-worker ; Postfix : mailq et journalctl -u postfix ; le relais SMTP refuse-t-il ?',
    },
    {
      alert: 'MailsFailed',
      expr: 'sum(increase(emails_failed_total[1h])) > 0',
      severity: 'warning',
      summary: 'Des e-mails clients ont définitivement échoué dans la dernière heure',
      runbook: "SELECT to_address, last_error FROM email_outbox WHERE status = 'failed' ORDER BY created_at DESC LIMIT 20",
    },
    {
      alert: 'ExpiryJobStale',
      expr: `time() - max(expire_orders_last_success_timestamp_seconds) > ${t.expiryStaleSeconds}`,
      for: '5m',
      severity: 'warning',
      summary: "Le job d'expiration des commandes impayées ne tourne plus (stock bloqué)",
      runbook: 'pm2 logs girlycrea-worker : erreurs « expiration des commandes » ? pm2 restart girlycrea-worker',
    },
    {
      alert: 'BackupTooOld',
      expr: `time() - max(girlycrea_backup_last_success_timestamp_seconds) > ${t.backupMaxAgeSeconds} or absent(girlycrea_backup_last_success_timestamp_seconds)`,
      for: '1h',
      severity: 'critical',
      summary: 'Aucune sauvegarde réussie depuis plus de 26 heures',
      runbook: 'journal de la sauvegarde (journalctl -u girlycrea-backup) ; pgbackrest info ; espace du dépôt distant',
      source: 'the backup jobs write girlycrea_backup_last_success_timestamp_seconds to site.monitoring.textfileDir',
    },
    {
      alert: 'WalArchivingFailing',
      expr: 'max(girlycrea_wal_archive_last_failure_timestamp_seconds) > max(girlycrea_wal_archive_last_success_timestamp_seconds)',
      for: '15m',
      severity: 'critical',
      summary: "L'archivage des WAL échoue : la restauration à un instant donné n'est plus possible",
      runbook: 'SELECT * FROM pg_stat_archiver ; pgbackrest check ; le disque de pg_wal se remplit-il ?',
    },
    {
      alert: 'TlsCertificateExpiring',
      expr: `min by (instance) (probe_ssl_earliest_cert_expiry) - time() < ${t.certificateDays} * 86400`,
      for: '10m',
      severity: 'warning',
      summary: `Le certificat TLS de {{ $labels.instance }} expire dans moins de ${t.certificateDays} jours`,
      runbook: 'certbot renew --dry-run ; systemctl list-timers certbot ; le défi HTTP-01 atteint-il Nginx ?',
    },
    {
      alert: 'ShopProbeFailed',
      expr: 'probe_success == 0',
      for: '2m',
      severity: 'critical',
      summary: '{{ $labels.instance }} ne répond pas correctement',
      runbook: 'curl -I sur cette adresse ; systemctl status nginx ; pm2 status',
    },
    {
      alert: 'PgBouncerClientsWaiting',
      expr: 'sum(pgbouncer_waiting_clients) > 0',
      for: '2m',
      severity: 'warning',
      summary: 'Des requêtes attendent une connexion PostgreSQL dans PgBouncer',
      runbook: 'SHOW POOLS dans la console pgbouncer ; transactions longues dans pg_stat_activity ?',
    },
    {
      alert: 'RedisMemoryNearMax',
      expr: `redis_memory_used_bytes / redis_memory_max_bytes > ${t.redisMemoryRatio} and redis_memory_max_bytes > 0`,
      for: '5m',
      severity: 'critical',
      summary: 'Redis {{ $labels.role }} utilise plus de 90 % de maxmemory',
      runbook: 'redis-cli info memory ; état (role=state) : les écritures échoueront à 100 %, augmenter maxmemory',
    },
    {
      alert: 'RedisEvictions',
      expr: 'increase(redis_evicted_keys_total{role="state"}[10m]) > 0',
      severity: 'critical',
      summary: 'Redis (état : sessions, paniers) a évincé des clés',
      runbook: 'redis-cli config get maxmemory-policy doit répondre noeviction ; sinon corriger la configuration',
    },
    {
      alert: 'RedisAofWriteError',
      expr: 'redis_aof_last_write_status == 0 or redis_aof_last_bgrewrite_status == 0',
      severity: 'critical',
      summary: "Redis {{ $labels.role }} n'arrive plus à écrire son fichier AOF",
      runbook: 'redis-cli info persistence ; disque plein ou en lecture seule ? journalctl -u redis-server',
    },
    {
      alert: 'ProcessRestartLoop',
      expr: `changes(process_start_time_seconds{job=~"girlycrea-.*"}[15m]) > ${t.restartsIn15m}`,
      severity: 'critical',
      summary: '{{ $labels.job }} ({{ $labels.instance }}) redémarre en boucle',
      runbook: 'pm2 logs {{ $labels.job }} --err --lines 100 : quelle erreur au démarrage ? mémoire (max_memory_restart) ?',
    },
  ];
}

/** `etc/prometheus/girlycrea-rules.yml`: every alert with its French summary and first step. */
export function renderRules(site: Site): string {
  const rules = alertRules(site).map((rule) => ({
    alert: rule.alert,
    expr: rule.expr,
    ...(rule.for ? { for: rule.for } : {}),
    labels: { severity: rule.severity },
    annotations: { summary: rule.summary, runbook: rule.runbook },
  }));
  const doc = new Document({ groups: [{ name: 'girlycrea', rules }] });
  const sources = alertRules(site);
  const items = (doc.getIn(['groups', 0, 'rules']) as { items: { commentBefore?: string | null }[] }).items;
  items.forEach((item, i) => {
    const source = sources[i]!.source;
    if (source) item.commentBefore = ` ${source}`;
  });
  return `${header('#', 'Alert rules of the shop: a French summary and the first thing to do (runbook) on each.')}# Thresholds: infra/src/monitoring/rules.ts (THRESHOLDS); what each alert means: infra/docs/monitoring.md.
${doc.toString({ lineWidth: 0 })}`;
}
