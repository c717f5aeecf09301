import { join } from 'node:path';
import type { Site } from '../site.js';

/** Prometheus job names, shared by the config, the rules, the dashboards and the tests. */
export const JOBS = {
  api: 'girlycrea-api',
  worker: 'girlycrea-worker',
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  node: 'node',
  postgres: 'postgres',
  pgbouncer: 'pgbouncer',
  redis: 'redis',
  nginx: 'nginx',
  blackbox: 'blackbox',
} as const;

/** The datasource uid every dashboard panel names. */
export const DATASOURCE_UID = 'girlycrea-prometheus';

/** Where each monitoring file lands on the VPS (under site.paths.etc) and where the servers keep data. */
export function monitoringPaths(site: Site) {
  const etc = site.paths.etc;
  return {
    prometheusYml: join(etc, 'prometheus', 'prometheus.yml'),
    rules: join(etc, 'prometheus', 'girlycrea-rules.yml'),
    alertmanagerYml: join(etc, 'prometheus', 'alertmanager.yml'),
    blackboxYml: join(etc, 'prometheus', 'blackbox.yml'),
    dashboards: join(etc, 'grafana', 'dashboards', 'girlycrea'),
    tsdb: join(site.monitoring.dataDir, 'metrics2'),
    alertmanagerData: join(site.monitoring.dataDir, 'alertmanager'),
  };
}

/** The public base URL the blackbox exporter probes. */
export function publicUrl(site: Site): string {
  return (site.monitoring.publicUrl ?? `https://${site.domain}`).replace(/\/$/, '');
}

