import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileAt, renderAll, writeRendered, type RenderedFile } from '../render.js';
import { apiMetricsPorts, parseSite, type Site } from '../site.js';
import { testSite } from '../testing.js';
import { dashboards } from './dashboards.js';
import { argsOf } from './render.js';
import { alertRules } from './rules.js';
import { promtoolTests, ruleCases } from './rule-cases.js';
import { prometheusApiTargets, prometheusTargets } from './targets.js';

const run = promisify(execFile);

let dir: string;
let site: Site;
let files: RenderedFile[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gc-monitoring-'));
  const base = await testSite(dir);
  site = parseSite({ ...base, monitoring: { dataDir: join(dir, 'prometheus'), textfileDir: join(dir, 'textfile'), heartbeatUrl: 'https://hc.exemple.net/ping/abc' } });
  files = renderAll(site);
  await writeRendered(dir, files);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rendered = (path: string) => join(dir, path);

async function writeTests(tests: { interval: string; content: string }[]): Promise<string[]> {
  return Promise.all(
    tests.map(async ({ interval, content }) => {
      const file = join(dir, `girlycrea-rules.${interval}.test.yml`);
      await writeFile(file, content);
      return file;
    }),
  );
}

describe('monitoring configs', () => {
  it('promtool accepts the rendered Prometheus config and rules file', async () => {
    const config = await run('promtool', ['check', 'config', rendered('etc/prometheus/prometheus.yml')]);
    expect(config.stdout).toContain('SUCCESS');
    const rules = await run('promtool', ['check', 'rules', rendered('etc/prometheus/girlycrea-rules.yml')]);
    expect(rules.stdout).toContain(`SUCCESS: ${alertRules(site).length} rules found`);
  });

  it('every alert rule has a firing and a not-firing case, and promtool test rules passes them all', async () => {
    const rules = alertRules(site);
    const cases = ruleCases(site);
    expect(Object.keys(cases).sort()).toEqual(rules.map((rule) => rule.alert).sort());
    for (const rule of rules) {
      expect(cases[rule.alert]!.fires.length, rule.alert).toBeGreaterThan(0);
      expect(cases[rule.alert]!.calm.length, rule.alert).toBeGreaterThan(0);
      expect(rule.summary, rule.alert).toMatch(/[a-zà-ÿ]/);
      expect(rule.runbook.length, rule.alert).toBeGreaterThan(10);
    }
    const testFiles = await writeTests(promtoolTests(site, rendered('etc/prometheus/girlycrea-rules.yml')));
    const result = await run('promtool', ['test', 'rules', ...testFiles]).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`promtool test rules a échoué :\n${error.stdout}\n${error.stderr}`);
    });
    expect(result.stdout.match(/SUCCESS/g)).toHaveLength(testFiles.length);
  }, 120_000);

  it('a broken case is caught: promtool fails when a calm history is expected to fire', async () => {
    const [short] = promtoolTests(site, rendered('etc/prometheus/girlycrea-rules.yml'));
    const broken = short!.content.replace('exp_alerts: []', 'exp_alerts:\n          - exp_labels: { severity: critical }');
    expect(broken).not.toBe(short!.content);
    const [file] = await writeTests([{ interval: 'broken', content: broken }]);
    await expect(run('promtool', ['test', 'rules', file!])).rejects.toThrow();
  }, 120_000);

  it('amtool accepts the Alertmanager config: mail through the local Postfix, grouped, Watchdog to the heartbeat URL', async () => {
    const check = await run('amtool', ['check-config', rendered('etc/prometheus/alertmanager.yml')]);
    expect(check.stdout).toContain('SUCCESS');
    const config = parse(fileAt(files, 'etc/prometheus/alertmanager.yml').content);
    expect(config.global.smtp_smarthost).toBe('127.0.0.1:25');
    expect(config.route.group_by).toEqual(['alertname', 'job']);
    expect(config.route.group_interval).toBe('5m');
    const watchdog = config.route.routes.find((route: { matchers: string[] }) => route.matchers.includes('alertname="Watchdog"'));
    const heartbeat = config.receivers.find((receiver: { name: string }) => receiver.name === watchdog.receiver);
    expect(heartbeat.webhook_configs[0].url).toBe('https://hc.exemple.net/ping/abc');
    expect(config.receivers.find((receiver: { name: string }) => receiver.name === config.route.receiver).email_configs[0].to).toBe(site.adminEmail);
  });

  it('the blackbox exporter accepts its module file', async () => {
    const check = await run('prometheus-blackbox-exporter', ['--config.check', `--config.file=${rendered('etc/prometheus/blackbox.yml')}`]);
    expect(`${check.stdout}${check.stderr}`).toMatch(/Config file is ok/i);
  });

  it('scrapes exactly the PM2 API workers metrics ports and the worker process, on loopback', () => {
    const yml = fileAt(files, 'etc/prometheus/prometheus.yml').content;
    expect(prometheusApiTargets(yml)).toEqual(apiMetricsPorts(site));
    expect(prometheusTargets(yml, 'girlycrea-worker')).toEqual([site.worker.metricsPort]);
    const three = parseSite({ ...site, api: { ...site.api, workers: 3 } });
    expect(prometheusApiTargets(fileAt(renderAll(three), 'etc/prometheus/prometheus.yml').content)).toEqual([site.api.metricsPort, site.api.metricsPort + 1, site.api.metricsPort + 2]);
    expect(() => prometheusApiTargets('scrape_configs: []')).toThrow(/girlycrea-api/);
  });

  it('every server listens on 127.0.0.1 only (Alertmanager without its cluster port), with the retention from the site file', () => {
    for (const file of files.filter((f) => f.path.startsWith('etc/default/prometheus'))) {
      for (const arg of argsOf(file.content).filter((a) => /listen-address=/.test(a))) {
        expect(arg, file.path).toMatch(/^-{1,2}(web|cluster)\.listen-address=(127\.0\.0\.1:\d+)?$/);
      }
    }
    expect(argsOf(fileAt(files, 'etc/default/prometheus-alertmanager').content)).toContain('--cluster.listen-address=');
    expect(argsOf(fileAt(files, 'etc/default/prometheus').content)).toEqual(expect.arrayContaining(['--storage.tsdb.retention.time=30d', '--storage.tsdb.retention.size=4GB']));
  });

  it('infra/docs/monitoring.md explains every alert (a table row each)', async () => {
    const doc = await readFile(new URL('../../docs/monitoring.md', import.meta.url), 'utf8');
    for (const rule of alertRules(site)) expect(doc, rule.alert).toContain(`| \`${rule.alert}\` |`);
  });

  it('ships both dashboards as Grafana JSON, every panel on the provisioned datasource', async () => {
    for (const dashboard of dashboards()) {
      const json = JSON.parse(await readFile(rendered(`etc/grafana/dashboards/girlycrea/${dashboard.uid.replace('girlycrea-', '')}.json`), 'utf8'));
      expect(json.title).toBe(dashboard.title);
      expect(json.panels.length).toBe(dashboard.panels.length);
      for (const panel of json.panels) {
        expect(panel.datasource.uid).toBe('girlycrea-prometheus');
        expect(panel.targets.length).toBeGreaterThan(0);
      }
    }
    expect(dashboards().map((d) => d.title)).toEqual(['Boutique', 'Serveur']);
    const datasource = parse(fileAt(files, 'etc/grafana/provisioning/datasources/girlycrea.yaml').content);
    expect(datasource.datasources[0].url).toBe(`http://127.0.0.1:${site.monitoring.prometheusPort}`);
  });
});
