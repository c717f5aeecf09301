import { freePort } from '@girlycrea/testkit';
import type { Cleanup } from './cleanup.js';
import { findDeepCategories } from './fixtures.js';
import { BenchError, progress, step } from './log.js';
import type { BenchOptions } from './options.js';
import { checkTargets } from './report/targets.js';
import { formatReport } from './report/print.js';
import type { TracingSetup } from './report/tracing.js';
import type { ScenarioResult } from './report/types.js';
import { describeMachine, writeResults } from './report/write.js';
import { serverCpu } from './pinning.js';
import { readRss, type RssTarget } from './rss.js';
import { runScenario, type LoadSettings } from './run-scenario.js';
import { SCENARIOS, type Scenario, type ScenarioContext, type ServerKind } from './scenarios/index.js';
import { startApi } from './servers/api.js';
import { startBaseline } from './servers/baseline.js';
import { startNext, storefrontRoutes } from './servers/next.js';
import { startNginx } from './servers/nginx.js';
import { startOtlpSink, type OtlpCounts } from './servers/otlp-sink.js';
import { startPm2Cluster } from './servers/pm2.js';
import { waitForOutboxDrain } from './setup/database.js';
import { prepareEnvironment } from './setup/environment.js';

// Tracing settings an operator may try on the traced API from the bench's environment (e.g. a sampling ratio);
// unset, the SDK's defaults apply, which is what the target is about.
const OTEL_OVERRIDABLE = /^OTEL_(TRACES_SAMPLER|TRACES_SAMPLER_ARG|BSP_[A-Z_]+|EXPORTER_OTLP_(TRACES_)?COMPRESSION)$/;

function otelOverridesFromEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => OTEL_OVERRIDABLE.test(entry[0]) && !!entry[1]?.trim()));
}

/** The scenarios the options select; throws on an unknown id. */
export function selectScenarios(only: string[]): Scenario[] {
  const unknown = only.filter((id) => !SCENARIOS.some((scenario) => scenario.id === id));
  if (unknown.length > 0) {
    throw new BenchError(`scénario(s) inconnu(s) : ${unknown.join(', ')}`, `ids possibles : ${SCENARIOS.map((s) => s.id).join(', ')}`);
  }
  return only.length === 0 ? SCENARIOS : SCENARIOS.filter((scenario) => only.includes(scenario.id));
}

/** Runs the selected scenarios server by server, prints the table and writes bench/results/latest.json. */
export async function runBench(cleanup: Cleanup, options: BenchOptions): Promise<number> {
  const startedAt = new Date().toISOString();
  const selected = selectScenarios(options.only);
  const of = (server: ServerKind) => selected.filter((scenario) => scenario.server === server);
  const settings: LoadSettings = {
    connections: options.connections,
    warmupSeconds: options.warmupSeconds,
    measureSeconds: options.measureSeconds,
    quietWaitMs: options.quick ? 0 : 30_000,
    noisyRetries: options.quick ? 0 : 2,
  };
  const env = await prepareEnvironment(cleanup, options);
  const cpu = serverCpu(options.pin);
  if (cpu !== undefined) progress(`API seule, API tracée et plafond épinglés sur le CPU ${cpu} (taskset) ; le reste sur les autres`);

  const api = await step('API : 1 processus (apps/api/dist/entry.js, NODE_ENV=production, sans traçage)', 'lisez la sortie de l’API ci-dessus ; `npm run build` puis relancez', () =>
    startApi(cleanup, env.backends, env.apiPort, { nodeArgs: options.apiNodeArgs, cpu }),
  );
  env.fixtures.deepCategories = await findDeepCategories(api.origin);
  const apiIdleRss = readRss(api.service.pid);
  progress(`  RSS de l’API au repos (après démarrage) : ${(apiIdleRss / 2 ** 20).toFixed(0)} Mo`);
  progress(`  ${api.telemetryNotice} ; métriques ${api.metricsServed ? 'servies' : 'NON servies'} sur ${api.metricsUrl}`);
  const tracingSetup: TracingSetup = { metricsServed: { untraced: api.metricsServed }, otelOverrides: otelOverridesFromEnv() };
  let otlpTotals: OtlpCounts | undefined;
  let otlpEndpoint: string | undefined;
  const routes = await storefrontRoutes().catch(() => []);
  // The storefront's scenarios (alone or behind Nginx) ask the single API for their data; every other server is an API itself.
  const context = (server: ServerKind, origin: string, extra: Partial<ScenarioContext>): ScenarioContext => ({
    origin,
    apiOrigin: server === 'next' || server === 'nginx' ? api.origin : origin,
    fixtures: env.fixtures,
    quick: options.quick,
    storefrontRoutes: routes,
    ...extra,
  });
  const results: ScenarioResult[] = [];
  let baselineRps: number | undefined;
  const runAll = async (server: ServerKind, origin: string, watch: RssTarget[], extra: Partial<ScenarioContext> = {}) => {
    for (const scenario of of(server)) {
      const result = await runScenario(scenario, context(server, origin, extra), watch, settings, baselineRps);
      if (scenario.kind === 'baseline') baselineRps = result.stats?.requestsPerSecond;
      results.push(result);
      // Each order queued a confirmation e-mail: let the worker send them before anything else is measured.
      if (scenario.kind === 'checkout') await waitForOutboxDrain(env.backends.databaseDirectUrl);
    }
  };

  // A server that cannot start fails its own scenarios; the rest of the run goes on.
  const withServer = async <S extends { stop: () => Promise<void> }>(
    server: ServerKind,
    title: string,
    hint: string,
    start: () => Promise<S>,
    use: (started: S) => Promise<void>,
    // Servers started inside `use`, which need this one running.
    inner: ServerKind[] = [],
  ) => {
    if ([server, ...inner].every((kind) => of(kind).length === 0)) return;
    let started: S;
    try {
      started = await step(title, hint, start);
    } catch (error) {
      const reason = `${(error as Error).message.split('\n')[0]} — à faire : ${hint}`;
      progress(`  ${title} : ÉCHEC, ses scénarios sont marqués en échec`);
      console.error((error as Error).message);
      for (const scenario of [server, ...inner].flatMap(of)) results.push({ id: scenario.id, title: scenario.title, server, kind: scenario.kind, status: 'failed', reason, unit: 'req' });
      return;
    }
    await use(started);
    await started.stop();
  };

  if (of('baseline').length > 0) {
    const baseline = await step('plafond : node:http nu servant les octets de GET /api/products', 'relancez ; l’API doit répondre à /api/products', () =>
      startBaseline(cleanup, `${api.origin}/api/products`, env.tempDir, cpu),
    );
    progress(`  corps de référence : ${baseline.bytes} octets`);
    await runAll('baseline', baseline.origin, [{ label: 'baseline', pid: baseline.service.pid }]);
    await baseline.stop();
  }
  progress('scénarios sur l’API seule');
  await runAll('api', api.origin, [{ label: 'api', pid: api.service.pid }]);

  await withServer(
    'next',
    'storefront : next start (apps/web)',
    'lisez la sortie de Next ci-dessus ; `npx turbo run build --filter=@girlycrea/web` puis relancez',
    () => startNext(cleanup, api.origin),
    async (next) => {
      await runAll('next', next.origin, [{ label: 'next', pid: next.service.pid, tree: true }, { label: 'api', pid: api.service.pid }]);
      // The shopper's path on the VPS: Nginx (rendered config, TLS, micro-cache) in front of the same Next and API.
      await withServer(
        'nginx',
        'Nginx : configuration rendue du VPS (TLS, HTTP/1.1 keep-alive, micro-cache) devant l’API et Next',
        'lisez le journal d’erreurs de Nginx ; `npm run infra -- render` doit réussir et `nginx -t` aussi',
        () => startNginx(cleanup, { api: Number(new URL(api.origin).port), web: Number(new URL(next.origin).port) }),
        (nginx) =>
          runAll('nginx', nginx.origin, [
            { label: 'nginx', pid: nginx.service.pid, tree: true },
            { label: 'next', pid: next.service.pid, tree: true },
            { label: 'api', pid: api.service.pid },
          ]),
      );
    },
    ['nginx'],
  );
  await api.stop();

  // The same API with tracing on, alone on the machine like the untraced one was: OTLP/HTTP to a local sink
  // standing in for SigNoz's collector (which runs on the same VPS in production), default sampler (always on).
  await withServer(
    'traced',
    'API tracée : 2e processus (entry.js, OTEL_EXPORTER_OTLP_ENDPOINT → puits OTLP local)',
    'lisez la sortie de l’API ci-dessus ; le traçage doit s’annoncer « OpenTelemetry actif »',
    async () => {
      const sink = await startOtlpSink();
      const stopSink = cleanup.defer('puits OTLP', () => sink.stop());
      otlpEndpoint = sink.origin;
      const traced = await startApi(cleanup, env.backends, await freePort(), {
        name: 'API tracée',
        nodeArgs: options.apiNodeArgs,
        cpu,
        tracing: true,
        env: { ...tracingSetup.otelOverrides, OTEL_EXPORTER_OTLP_ENDPOINT: sink.origin, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' },
      });
      const overrides = Object.entries(tracingSetup.otelOverrides).map(([name, value]) => `${name}=${value}`);
      progress(`  échantillonnage et lots : ${overrides.length > 0 ? overrides.join(' ') : 'défauts du SDK (parentbased_always_on, lots de 512, file de 2 048)'}`);
      tracingSetup.metricsServed.traced = traced.metricsServed;
      progress(`  ${traced.telemetryNotice} ; métriques ${traced.metricsServed ? 'servies' : 'NON servies'} sur ${traced.metricsUrl}`);
      return {
        ...traced,
        sink,
        stop: async () => {
          // The API flushes its last spans on SIGTERM: the sink must still answer.
          await traced.stop();
          otlpTotals = sink.counts();
          await stopSink();
        },
      };
    },
    (traced) => runAll('traced', traced.origin, [{ label: 'api', pid: traced.service.pid }], { otlpSink: traced.sink }),
  );

  await withServer('cluster', 'cluster PM2 de 2 workers (wait_ready)', 'voir les journaux PM2 indiqués ci-dessus ; vérifiez que `node apps/api/dist/entry.js` démarre', () => startPm2Cluster(cleanup, env.backends, env.tempDir, options.apiNodeArgs), (cluster) =>
    runAll('cluster', cluster.origin, cluster.workerPids.map((pid, i) => ({ label: `w${i + 1}`, pid }))),
  );

  const targets = checkTargets(results, tracingSetup);
  console.log(`\n${formatReport(results, targets, tracingSetup)}\n`);
  const report = {
    startedAt,
    finishedAt: new Date().toISOString(),
    mode: options.quick ? 'quick' : 'full',
    apiNodeArgs: options.apiNodeArgs,
    pinnedCpu: cpu ?? null,
    settings,
    machine: describeMachine(),
    apiIdleRssBytes: apiIdleRss,
    setup: { database: env.database, redis: env.redisUrl, pgbouncerPort: env.pgbouncerPort, generatedProducts: env.fixtures.slugs.length, variants: env.fixtures.variantIds.length },
    results,
    targets,
    tracing: {
      compared: ['products', 'products-traced'],
      otlpEndpoint,
      protocol: 'http/protobuf',
      sampler: tracingSetup.otelOverrides.OTEL_TRACES_SAMPLER ?? 'défaut du SDK (parentbased_always_on)',
      otelOverrides: tracingSetup.otelOverrides,
      metricsServed: tracingSetup.metricsServed,
      // Everything the sink received over the traced API's life (prewarm, warm-up, measure, shutdown flush).
      sinkTotals: otlpTotals,
    },
  };
  const path = await writeResults('latest.json', report);
  // A dated copy too: a later --only or --api-node-args run must not erase the full run it is compared with.
  await writeResults(`run-${startedAt.replace(/[:.]/g, '-')}.json`, report);
  progress(`résultats écrits dans ${path}`);
  const failed = results.filter((result) => result.status === 'failed');
  if (failed.length > 0) console.error(`[bench] ${failed.length} scénario(s) en échec : ${failed.map((r) => r.id).join(', ')} (raisons ci-dessus)`);
  return failed.length > 0 ? 1 : 0;
}
