import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cleanup } from '../cleanup.js';
import { findDeepCategories } from '../fixtures.js';
import { BenchError, progress, step } from '../log.js';
import type { BenchOptions } from '../options.js';
import { RESULTS_DIR } from '../paths.js';
import { serverCpu } from '../pinning.js';
import type { ScenarioResult } from '../report/types.js';
import { writeResults } from '../report/write.js';
import { runScenario } from '../run-scenario.js';
import { SCENARIOS, type Scenario } from '../scenarios/index.js';
import { startApi } from '../servers/api.js';
import { storefrontRoutes } from '../servers/next.js';
import { startOtlpSink } from '../servers/otlp-sink.js';
import { prepareEnvironment } from '../setup/environment.js';
import { formatProfileSummary, summariseProfile, type CpuProfile } from './summarise.js';

/** The catalog read with the lowest rate in bench/results/latest.json. */
async function slowestCatalogRead(): Promise<string> {
  const latest = JSON.parse(await readFile(join(RESULTS_DIR, 'latest.json'), 'utf8').catch(() => '{}')) as { results?: ScenarioResult[] };
  const reads = (latest.results ?? []).filter((r) => r.server === 'api' && r.kind === 'catalog' && r.status === 'ok' && r.stats);
  if (reads.length === 0) throw new BenchError('--profile auto : aucune lecture catalogue dans bench/results/latest.json', 'lancez d’abord `npm run bench`, ou nommez le scénario : --profile product-slug');
  return reads.reduce((a, b) => (b.stats!.operationsPerSecond < a.stats!.operationsPerSecond ? b : a)).id;
}

function profilable(id: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (!scenario || (scenario.server !== 'api' && scenario.server !== 'traced')) {
    const ids = SCENARIOS.filter((s) => s.server === 'api' || s.server === 'traced').map((s) => s.id);
    throw new BenchError(`--profile ${id} : pas un scénario d’une API seule`, `choisissez parmi ${ids.join(', ')}`);
  }
  return scenario;
}

/** Replays one API scenario with the API under `node --cpu-prof`, then summarises the profile. */
export async function runProfile(cleanup: Cleanup, options: BenchOptions): Promise<number> {
  const scenario = profilable(options.profile === 'auto' ? await slowestCatalogRead() : options.profile!);
  progress(`profil CPU du scénario ${scenario.id} (${scenario.title})`);
  const env = await prepareEnvironment(cleanup, options);
  const dir = join(RESULTS_DIR, 'profiles', `${scenario.id}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  // A traced scenario profiles the API with tracing on, exporting to a local OTLP sink as in the bench run.
  const otlpSink = scenario.server === 'traced' ? await startOtlpSink() : undefined;
  if (otlpSink) cleanup.defer('puits OTLP', () => otlpSink.stop());
  const tracing = otlpSink ? { tracing: true, env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlpSink.origin, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' } } : {};
  const api = await step(`API${otlpSink ? ' tracée' : ''} sous node --cpu-prof`, 'lisez la sortie de l’API ci-dessus', () =>
    startApi(cleanup, env.backends, env.apiPort, { cpuProfDir: dir, nodeArgs: options.apiNodeArgs, cpu: serverCpu(options.pin), ...tracing }),
  );
  env.fixtures.deepCategories = await findDeepCategories(api.origin);
  const context = {
    origin: api.origin,
    apiOrigin: api.origin,
    fixtures: env.fixtures,
    quick: options.quick,
    storefrontRoutes: await storefrontRoutes().catch(() => []),
    ...(otlpSink ? { otlpSink } : {}),
  };
  const settings = { connections: options.connections, warmupSeconds: options.warmupSeconds, measureSeconds: options.measureSeconds, quietWaitMs: options.quick ? 0 : 30_000, noisyRetries: 0 };
  const result = await runScenario(scenario, context, [{ label: 'api', pid: api.service.pid }], settings, undefined);
  // The profile is written when the API exits (graceful SIGTERM ends in process.exit).
  await step('arrêt de l’API (écriture du profil)', 'le profil n’a pas été écrit : l’API a-t-elle été tuée ?', () => api.stop());
  const files = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'));
  if (files.length === 0) throw new BenchError(`aucun .cpuprofile dans ${dir}`, 'l’API doit s’arrêter proprement (SIGTERM) pour écrire son profil');
  const file = join(dir, files[0]!);
  const summary = summariseProfile(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, 25);
  console.log(`\n${formatProfileSummary(summary)}\n`);
  const path = await writeResults(`profile-${scenario.id}.json`, { scenario: scenario.id, profile: file, settings, result, summary });
  progress(`profil : ${file}\n  résumé : ${path}`);
  return result.status === 'failed' ? 1 : 0;
}
