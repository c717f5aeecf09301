import { stringify } from 'yaml';
import type { RenderedFile } from '../render.js';
import { header, RENDERED_NOTE } from '../render.js';
import type { Site } from '../site.js';
import { DATASOURCE_UID, monitoringPaths } from './layout.js';

/** One query of a panel: PromQL and its legend. */
interface Query {
  expr: string;
  legend?: string;
}

/** One panel: a stat (a number) or a time series, with its unit (Grafana's unit ids). */
interface Panel {
  title: string;
  kind: 'stat' | 'timeseries';
  unit: string;
  queries: Query[];
}

/** A dashboard as the tests and the renderer see it. */
export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

const API = 'job="girlycrea-api"';
const FS = 'fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs"';

/** "Boutique" (the shop's health in business terms) and "Serveur" (the machine and its servers). */
export function dashboards(): Dashboard[] {
  return [
    {
      uid: 'girlycrea-boutique',
      title: 'Boutique',
      panels: [
        { title: 'Commandes passées (1 h)', kind: 'stat', unit: 'short', queries: [{ expr: 'sum(increase(orders_created_total[1h]))' }] },
        { title: 'Commandes payées (1 h)', kind: 'stat', unit: 'short', queries: [{ expr: 'sum(increase(orders_paid_total[1h]))' }] },
        { title: "Chiffre d'affaires encaissé (24 h)", kind: 'stat', unit: 'currencyEUR', queries: [{ expr: 'sum(increase(revenue_cents_total[24h])) / 100' }] },
        {
          title: 'Entonnoir : ajouts au panier → commandes → paiements (par heure)',
          kind: 'timeseries',
          unit: 'short',
          queries: [
            { expr: 'sum(increase(cart_adds_total[1h]))', legend: 'ajouts au panier' },
            { expr: 'sum(increase(orders_created_total[1h]))', legend: 'commandes' },
            { expr: 'sum(increase(orders_paid_total[1h]))', legend: 'payées' },
          ],
        },
        { title: 'Échecs de commande par motif (1 h)', kind: 'timeseries', unit: 'short', queries: [{ expr: 'sum by (reason) (increase(checkout_failures_total[1h]))', legend: '{{reason}}' }] },
        { title: 'Commandes annulées par motif (1 h)', kind: 'timeseries', unit: 'short', queries: [{ expr: 'sum by (reason) (increase(orders_cancelled_total[1h]))', legend: '{{reason}}' }] },
        {
          title: 'Temps de réponse (99e centile) par route',
          kind: 'timeseries',
          unit: 's',
          queries: [{ expr: `histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{${API}}[5m])))`, legend: '{{route}}' }],
        },
        { title: 'Requêtes par seconde', kind: 'timeseries', unit: 'reqps', queries: [{ expr: `sum(rate(http_request_duration_seconds_count{${API}}[5m]))`, legend: 'API' }] },
        {
          title: 'Réponses en erreur par statut',
          kind: 'timeseries',
          unit: 'reqps',
          queries: [{ expr: `sum by (status) (rate(http_request_duration_seconds_count{${API},status=~"4..|5.."}[5m]))`, legend: '{{status}}' }],
        },
        {
          title: 'Cache du catalogue : taux de réussite',
          kind: 'timeseries',
          unit: 'percentunit',
          queries: [
            {
              expr: 'sum by (layer) (rate(catalog_cache_requests_total{result="hit"}[5m])) / sum by (layer) (rate(catalog_cache_requests_total[5m]))',
              legend: '{{layer}}',
            },
          ],
        },
        {
          title: 'E-mails : envoyés, échoués, en attente',
          kind: 'timeseries',
          unit: 'short',
          queries: [
            { expr: 'sum(increase(emails_sent_total[1h]))', legend: 'envoyés (1 h)' },
            { expr: 'sum(increase(emails_failed_total[1h]))', legend: 'échoués (1 h)' },
            { expr: 'max by (status) (outbox_messages)', legend: 'file : {{status}}' },
          ],
        },
        { title: "Plus vieil e-mail en attente", kind: 'stat', unit: 's', queries: [{ expr: 'max(outbox_oldest_pending_age_seconds)' }] },
        {
          title: 'Connexions refusées et limites de débit (1 h)',
          kind: 'timeseries',
          unit: 'short',
          queries: [
            { expr: 'sum(increase(login_failures_total[1h]))', legend: 'mots de passe refusés' },
            { expr: 'sum by (route) (increase(rate_limit_rejections_total[1h]))', legend: 'limite : {{route}}' },
          ],
        },
        { title: "Dernier passage du job d'expiration", kind: 'stat', unit: 's', queries: [{ expr: 'time() - max(expire_orders_last_success_timestamp_seconds)' }] },
      ],
    },
    {
      uid: 'girlycrea-serveur',
      title: 'Serveur',
      panels: [
        { title: 'Processeur', kind: 'timeseries', unit: 'percent', queries: [{ expr: '100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[5m])))', legend: 'occupé' }] },
        { title: 'Mémoire utilisée', kind: 'timeseries', unit: 'percent', queries: [{ expr: '100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)', legend: 'RAM' }] },
        {
          title: 'Disques remplis',
          kind: 'timeseries',
          unit: 'percent',
          queries: [{ expr: `100 * (1 - node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}})`, legend: '{{mountpoint}}' }],
        },
        {
          title: 'PostgreSQL : connexions',
          kind: 'timeseries',
          unit: 'short',
          queries: [
            { expr: 'sum(pg_stat_database_numbackends)', legend: 'ouvertes' },
            { expr: 'max(pg_settings_max_connections)', legend: 'max_connections' },
          ],
        },
        { title: 'PostgreSQL : transactions par seconde', kind: 'timeseries', unit: 'ops', queries: [{ expr: 'sum(rate(pg_stat_database_xact_commit[5m]))', legend: 'commit' }] },
        {
          title: 'PgBouncer : clients',
          kind: 'timeseries',
          unit: 'short',
          queries: [
            { expr: 'sum(pgbouncer_active_clients)', legend: 'actifs' },
            { expr: 'sum(pgbouncer_waiting_clients)', legend: 'en attente' },
          ],
        },
        {
          title: 'Redis : mémoire',
          kind: 'timeseries',
          unit: 'bytes',
          queries: [{ expr: 'redis_memory_used_bytes', legend: '{{role}}' }],
        },
        { title: 'Redis : clients connectés', kind: 'timeseries', unit: 'short', queries: [{ expr: 'redis_connected_clients', legend: '{{role}}' }] },
        {
          title: 'Nginx : requêtes et connexions',
          kind: 'timeseries',
          unit: 'short',
          queries: [
            { expr: 'sum(rate(nginx_http_requests_total[5m]))', legend: 'requêtes/s' },
            { expr: 'sum(nginx_connections_active)', legend: 'connexions actives' },
          ],
        },
        {
          title: 'Processus Node : mémoire résidente',
          kind: 'timeseries',
          unit: 'bytes',
          queries: [{ expr: 'process_resident_memory_bytes{job=~"girlycrea-.*"}', legend: '{{job}} {{instance}}' }],
        },
        { title: 'API : attente du pool PostgreSQL', kind: 'timeseries', unit: 'short', queries: [{ expr: `sum(pg_pool_waiting_clients{${API}})`, legend: 'en attente' }] },
        { title: 'Cibles surveillées', kind: 'timeseries', unit: 'short', queries: [{ expr: 'up', legend: '{{job}} {{instance}}' }] },
      ],
    },
  ];
}

/** Every PromQL query of every panel, with where it comes from (for the live test). */
export function dashboardQueries(): { dashboard: string; panel: string; expr: string }[] {
  return dashboards().flatMap((d) => d.panels.flatMap((p) => p.queries.map((q) => ({ dashboard: d.title, panel: p.title, expr: q.expr }))));
}

/** A dashboard as Grafana's JSON model (schema 39, Grafana 10/11). */
function grafanaJson(dashboard: Dashboard): string {
  const datasource = { type: 'prometheus', uid: DATASOURCE_UID };
  const panels = dashboard.panels.map((panel, i) => {
    const width = panel.kind === 'stat' ? 6 : 12;
    return {
      id: i + 1,
      type: panel.kind,
      title: panel.title,
      datasource,
      gridPos: { x: (i * 12) % 24, y: Math.floor(i / 2) * 8, w: width, h: 8 },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      options: {},
      targets: panel.queries.map((query, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource,
        expr: query.expr,
        ...(query.legend ? { legendFormat: query.legend } : {}),
      })),
    };
  });
  const model = {
    uid: dashboard.uid,
    title: dashboard.title,
    description: `${RENDERED_NOTE} Panels and queries: infra/src/monitoring/dashboards.ts.`,
    tags: ['girlycrea'],
    timezone: 'Europe/Paris',
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: '1m',
    time: { from: 'now-24h', to: 'now' },
    panels,
  };
  return `${JSON.stringify(model, null, 2)}\n`;
}

/** Grafana's provisioning: the Prometheus datasource and the two dashboards (Grafana itself comes from Grafana's repository). */
export function renderDashboards(site: Site): RenderedFile[] {
  const paths = monitoringPaths(site);
  const datasources = {
    apiVersion: 1,
    datasources: [
      { name: 'Prometheus (GirlyCrea)', uid: DATASOURCE_UID, type: 'prometheus', access: 'proxy', url: `http://127.0.0.1:${site.monitoring.prometheusPort}`, isDefault: true, editable: false },
    ],
  };
  const providers = {
    apiVersion: 1,
    providers: [{ name: 'girlycrea', folder: 'GirlyCrea', type: 'file', disableDeletion: true, allowUiUpdates: false, options: { path: paths.dashboards } }],
  };
  return [
    {
      path: 'etc/grafana/provisioning/datasources/girlycrea.yaml',
      content: `${header('#', 'Grafana datasource: the local Prometheus.')}# url: http://127.0.0.1: + site.monitoring.prometheusPort\n${stringify(datasources)}`,
    },
    {
      path: 'etc/grafana/provisioning/dashboards/girlycrea.yaml',
      content: `${header('#', 'Grafana dashboards provider: the JSON files below, read-only in the UI.')}# path: site.paths.etc + /grafana/dashboards/girlycrea\n${stringify(providers)}`,
    },
    // JSON has no comments: these two are generated from infra/src/monitoring/dashboards.ts.
    ...dashboards().map((dashboard) => ({ path: `etc/grafana/dashboards/girlycrea/${dashboard.uid.replace('girlycrea-', '')}.json`, content: grafanaJson(dashboard) })),
  ];
}
