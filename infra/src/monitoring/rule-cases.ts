import { stringify } from 'yaml';
import type { Site } from '../site.js';
import { alertRules, THRESHOLDS } from './rules.js';

/** Input series (promtool's expanding notation) and when the rule is evaluated. */
interface Case {
  series: [series: string, values: string][];
  at: string;
  /** promtool's sample interval; default 1m. */
  interval?: string;
  /** The firing alert's labels besides alertname and severity (what the expression keeps). */
  labels?: Record<string, string>;
}

/** For one alert: a history that makes it fire and one that must not. */
export interface RuleCases {
  fires: Case[];
  calm: Case[];
}

const api = (labels = '') => `{job="girlycrea-api",instance="127.0.0.1:9464"${labels}}`;
const apiLabels = { job: 'girlycrea-api', instance: '127.0.0.1:9464' };
const redis = '{job="redis",instance="redis://127.0.0.1:6379",role="state"}';
const redisLabels = { job: 'redis', instance: 'redis://127.0.0.1:6379', role: 'state' };
const fs = '{job="node",instance="127.0.0.1:9100",device="/dev/sda1",fstype="ext4",mountpoint="/"}';
const fsLabels = { job: 'node', instance: '127.0.0.1:9100', device: '/dev/sda1', fstype: 'ext4', mountpoint: '/' };
const node = '{job="node",instance="127.0.0.1:9100"}';
const nodeLabels = { job: 'node', instance: '127.0.0.1:9100' };
const probe = '{job="blackbox",instance="https://boutique.test/"}';
const probeLabels = { job: 'blackbox', instance: 'https://boutique.test/' };

/**
 * A firing and a calm history for EVERY alert rule (the test checks the keys match the rules), for the
 * site's thresholds. Times start at 1970-01-01 00:00 UTC, which NoOrders' opening hours rely on.
 */
export function ruleCases(site: Site): Record<string, RuleCases> {
  const t = THRESHOLDS;
  const m = site.monitoring;
  const downFor = Math.ceil(m.targetDownForSeconds / 60) + 2;
  const latency = (route: string, buckets: string[], slow: string) => (slowest: boolean): Case['series'] =>
    buckets.map((le) => [`http_request_duration_seconds_bucket${api(`,route="${route}",method="GET",status="200",le="${le}"`)}`, slowest && le !== slow && le !== '+Inf' ? '0x30' : '0+10x30']);
  const catalog = latency('/api/products/:slug', ['0.25', '0.5', '1', '+Inf'], '1');
  const checkout = latency('/api/checkout', ['1', '2.5', '5', '+Inf'], '5');
  const noOrderAt = `${m.noOrder.fromHour * 60 + Math.max(60, m.noOrder.hours * 60)}m`;
  return {
    Watchdog: {
      fires: [{ series: [['up{job="prometheus",instance="127.0.0.1:9090"}', '1x5']], at: '2m', labels: { job: 'prometheus', instance: '127.0.0.1:9090' } }],
      calm: [{ series: [['up{job="prometheus",instance="127.0.0.1:9090"}', '0x5']], at: '2m' }],
    },
    TargetDown: {
      fires: [{ series: [[`up${api()}`, `0x${downFor + 5}`]], at: `${downFor}m`, labels: apiLabels }],
      // Down for less than the hold time: no alert yet.
      calm: [
        { series: [[`up${api()}`, '1x20']], at: `${downFor}m` },
        { series: [[`up${api()}`, `1x${downFor} 0`]], at: `${downFor + 1}m` },
      ],
    },
    HostCpuHigh: {
      fires: [{ series: [[`node_cpu_seconds_total{cpu="0",mode="idle"}`, '0+6x30']], at: '20m' }],
      calm: [{ series: [[`node_cpu_seconds_total{cpu="0",mode="idle"}`, '0+50x30']], at: '20m' }],
    },
    HostMemoryHigh: {
      fires: [{ series: [[`node_memory_MemAvailable_bytes${node}`, '500x10'], [`node_memory_MemTotal_bytes${node}`, '10000x10']], at: '8m', labels: nodeLabels }],
      calm: [{ series: [[`node_memory_MemAvailable_bytes${node}`, '5000x10'], [`node_memory_MemTotal_bytes${node}`, '10000x10']], at: '8m' }],
    },
    HostDiskFull: {
      fires: [{ series: [[`node_filesystem_avail_bytes${fs}`, '100x20'], [`node_filesystem_size_bytes${fs}`, '1000x20']], at: '15m', labels: fsLabels }],
      calm: [{ series: [[`node_filesystem_avail_bytes${fs}`, '500x20'], [`node_filesystem_size_bytes${fs}`, '1000x20']], at: '15m' }],
    },
    PostgresDown: {
      fires: [{ series: [['pg_up{job="postgres",instance="127.0.0.1:9187"}', '0x5']], at: '3m', labels: { job: 'postgres', instance: '127.0.0.1:9187' } }],
      calm: [{ series: [['pg_up{job="postgres",instance="127.0.0.1:9187"}', '1x5']], at: '3m' }],
    },
    PostgresConnectionsNearLimit: {
      fires: [{ series: [['pg_stat_database_numbackends{datname="girlycrea"}', '90x10'], ['pg_settings_max_connections', '100x10']], at: '8m' }],
      calm: [{ series: [['pg_stat_database_numbackends{datname="girlycrea"}', '10x10'], ['pg_settings_max_connections', '100x10']], at: '8m' }],
    },
    ApiErrorRateHigh: {
      fires: [{ series: [[`http_request_duration_seconds_count${api(',route="/api/products",method="GET",status="500"')}`, '0+10x20'], [`http_request_duration_seconds_count${api(',route="/api/products",method="GET",status="200"')}`, '0+100x20']], at: '15m' }],
      calm: [{ series: [[`http_request_duration_seconds_count${api(',route="/api/products",method="GET",status="500"')}`, '0+1x20'], [`http_request_duration_seconds_count${api(',route="/api/products",method="GET",status="200"')}`, '0+100x20']], at: '15m' }],
    },
    CatalogLatencyHigh: {
      fires: [{ series: catalog(true), at: '20m' }],
      calm: [{ series: catalog(false), at: '20m' }],
    },
    CheckoutLatencyHigh: {
      fires: [{ series: checkout(true), at: '20m' }],
      calm: [{ series: checkout(false), at: '20m' }],
    },
    CheckoutFailureRatioHigh: {
      fires: [{ series: [[`checkout_failures_total${api(',reason="out_of_stock"')}`, '0+1x60'], [`orders_created_total${api()}`, '0+1x60']], at: '45m' }],
      calm: [
        { series: [[`checkout_failures_total${api(',reason="out_of_stock"')}`, '0x60'], [`orders_created_total${api()}`, '0+1x60']], at: '45m' },
        // Validation errors are the customer's typing, not the shop failing.
        { series: [[`checkout_failures_total${api(',reason="validation"')}`, '0+5x60'], [`orders_created_total${api()}`, '0+1x60']], at: '45m' },
      ],
    },
    NoOrders: {
      fires: [{ series: [[`orders_created_total${api()}`, '5x200']], at: noOrderAt, interval: '10m' }],
      calm: [
        { series: [[`orders_created_total${api()}`, '0+1x200']], at: noOrderAt, interval: '10m' },
        // Same silence, but at night.
        { series: [[`orders_created_total${api()}`, '5x300']], at: `${m.noOrder.toHour * 60 + 60}m`, interval: '10m' },
      ],
    },
    OutboxBacklog: {
      fires: [
        { series: [['outbox_oldest_pending_age_seconds{job="girlycrea-worker"}', `${t.outboxOldestSeconds + 300}x20`], ['outbox_messages{job="girlycrea-worker",status="pending"}', '3x20']], at: '10m' },
        { series: [['outbox_oldest_pending_age_seconds{job="girlycrea-worker"}', '30x20'], ['outbox_messages{job="girlycrea-worker",status="pending"}', `${t.outboxPending + 1}x20`]], at: '10m' },
      ],
      calm: [{ series: [['outbox_oldest_pending_age_seconds{job="girlycrea-worker"}', '30x20'], ['outbox_messages{job="girlycrea-worker",status="pending"}', '3x20']], at: '10m' }],
    },
    MailsFailed: {
      fires: [{ series: [['emails_failed_total{job="girlycrea-worker"}', '0 0 0 1 1 1 1 1 1 1']], at: '8m' }],
      calm: [{ series: [['emails_failed_total{job="girlycrea-worker"}', '0x10']], at: '8m' }],
    },
    ExpiryJobStale: {
      fires: [{ series: [['expire_orders_last_success_timestamp_seconds{job="girlycrea-worker"}', '0x40']], at: '30m' }],
      // The API workers export 0 (they run no jobs): max() reads the worker's.
      calm: [{ series: [['expire_orders_last_success_timestamp_seconds{job="girlycrea-worker"}', '0+60x40'], [`expire_orders_last_success_timestamp_seconds${api()}`, '0x40']], at: '30m' }],
    },
    BackupTooOld: {
      fires: [
        { series: [['girlycrea_backup_last_success_timestamp_seconds{job="node"}', '0x40']], at: '30h', interval: '1h' },
        // Never written: no backup job at all.
        { series: [['up{job="node"}', '1x40']], at: '30h', interval: '1h' },
      ],
      calm: [{ series: [['girlycrea_backup_last_success_timestamp_seconds{job="node"}', '0+3600x40']], at: '30h', interval: '1h' }],
    },
    WalArchivingFailing: {
      fires: [{ series: [['girlycrea_wal_archive_last_failure_timestamp_seconds{job="node"}', '0+60x40'], ['girlycrea_wal_archive_last_success_timestamp_seconds{job="node"}', '100x40']], at: '30m' }],
      calm: [{ series: [['girlycrea_wal_archive_last_failure_timestamp_seconds{job="node"}', '100x40'], ['girlycrea_wal_archive_last_success_timestamp_seconds{job="node"}', '0+60x40']], at: '30m' }],
    },
    TlsCertificateExpiring: {
      fires: [{ series: [[`probe_ssl_earliest_cert_expiry${probe}`, `${10 * 86400}x30`]], at: '20m', labels: { instance: probeLabels.instance } }],
      calm: [{ series: [[`probe_ssl_earliest_cert_expiry${probe}`, `${60 * 86400}x30`]], at: '20m' }],
    },
    ShopProbeFailed: {
      fires: [{ series: [[`probe_success${probe}`, '0x10']], at: '5m', labels: probeLabels }],
      calm: [{ series: [[`probe_success${probe}`, '1x10']], at: '5m' }],
    },
    PgBouncerClientsWaiting: {
      fires: [{ series: [['pgbouncer_waiting_clients{job="pgbouncer",database="girlycrea",user="girlycrea"}', '3x10']], at: '5m' }],
      calm: [{ series: [['pgbouncer_waiting_clients{job="pgbouncer",database="girlycrea",user="girlycrea"}', '0x10']], at: '5m' }],
    },
    RedisMemoryNearMax: {
      fires: [{ series: [[`redis_memory_used_bytes${redis}`, '95x10'], [`redis_memory_max_bytes${redis}`, '100x10']], at: '8m', labels: redisLabels }],
      calm: [
        { series: [[`redis_memory_used_bytes${redis}`, '10x10'], [`redis_memory_max_bytes${redis}`, '100x10']], at: '8m' },
        // maxmemory 0 means "no limit": never near it.
        { series: [[`redis_memory_used_bytes${redis}`, '95x10'], [`redis_memory_max_bytes${redis}`, '0x10']], at: '8m' },
      ],
    },
    RedisEvictions: {
      fires: [{ series: [[`redis_evicted_keys_total${redis}`, '0+5x20']], at: '15m', labels: redisLabels }],
      calm: [
        { series: [[`redis_evicted_keys_total${redis}`, '0x20']], at: '15m' },
        // The cache instance evicts by design (allkeys-lru).
        { series: [['redis_evicted_keys_total{job="redis",instance="redis://127.0.0.1:6380",role="cache"}', '0+5x20']], at: '15m' },
      ],
    },
    RedisAofWriteError: {
      fires: [{ series: [[`redis_aof_last_write_status${redis}`, '0x5'], [`redis_aof_last_bgrewrite_status${redis}`, '1x5']], at: '3m', labels: redisLabels }],
      calm: [{ series: [[`redis_aof_last_write_status${redis}`, '1x5'], [`redis_aof_last_bgrewrite_status${redis}`, '1x5']], at: '3m' }],
    },
    ProcessRestartLoop: {
      fires: [{ series: [[`process_start_time_seconds${api()}`, '60+60x20']], at: '15m', labels: apiLabels }],
      calm: [{ series: [[`process_start_time_seconds${api()}`, '60x20']], at: '15m' }],
    },
  };
}

/** The labels of a firing alert as promtool reports them: the expression's, then the rule's severity. */
function expectedLabels(severity: string, labels: Record<string, string> = {}): Record<string, string> {
  return { ...labels, severity };
}

/** Fills `{{ $labels.x }}` as Prometheus' templates do (the rules use nothing else). */
export function expandAnnotation(text: string, labels: Record<string, string>): string {
  return text.replace(/\{\{\s*\$labels\.([a-zA-Z_]+)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

/**
 * promtool's unit-test files for the rules file at `rulesPath`: every case of ruleCases, one file per
 * sample interval (promtool evaluates every rule at each evaluation_interval up to the last eval_time,
 * so the day-long cases get a coarse interval of their own).
 */
export function promtoolTests(site: Site, rulesPath: string): { interval: string; content: string }[] {
  const cases = ruleCases(site);
  const groups = new Map<string, unknown[]>();
  for (const rule of alertRules(site)) {
    const pair = cases[rule.alert];
    if (!pair) continue;
    const add = (c: Case, fires: boolean) => {
      const labels = expectedLabels(rule.severity, c.labels);
      const interval = c.interval ?? '1m';
      const list = groups.get(interval) ?? [];
      groups.set(interval, list);
      list.push({
        interval,
        input_series: c.series.map(([series, values]) => ({ series, values })),
        alert_rule_test: [
          {
            eval_time: c.at,
            alertname: rule.alert,
            exp_alerts: fires
              ? [{ exp_labels: labels, exp_annotations: { summary: expandAnnotation(rule.summary, labels), runbook: expandAnnotation(rule.runbook, labels) } }]
              : [],
          },
        ],
      });
    };
    for (const c of pair.fires) add(c, true);
    for (const c of pair.calm) add(c, false);
  }
  return [...groups].map(([interval, tests]) => ({
    interval,
    content: stringify({ rule_files: [rulesPath], evaluation_interval: interval, tests }, { lineWidth: 0 }),
  }));
}
