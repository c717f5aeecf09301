import { progress } from './log.js';
import { runLoad, type LoadPlan, type LoadStats } from './load/run-load.js';
import { cpuSecondsNamed, cpuSecondsOf, foreignCpuShare, snapshotCpu, waitForQuietMachine, type CpuSnapshot } from './machine-load.js';
import type { ScenarioResult } from './report/types.js';
import { sampleRssDuring, type RssTarget } from './rss.js';
import type { Scenario, ScenarioContext } from './scenarios/index.js';

/** How long and how hard each scenario loads its server. */
export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  measureSeconds: number;
  /** Before each scenario, wait up to this long for other processes to leave the CPU alone (0: don't). */
  quietWaitMs: number;
  /** Measure again (keeping the least disturbed) when other processes took more than 10 % of the CPU. */
  noisyRetries: number;
}

/** Above this share of the CPU taken by other processes, a measurement is flagged as disturbed. */
export const NOISY = 0.1;

interface Measurement {
  stats: LoadStats;
  peaks: Record<string, number>;
  foreignCpu: number;
  serverCpuSeconds: number;
  /** CPU seconds of PostgreSQL backends and of Redis (shared with other users of the machine: approximate). */
  postgresCpuSeconds: number;
  redisCpuSeconds: number;
}

async function measureOnce(origin: string, plan: LoadPlan, watch: RssTarget[], settings: LoadSettings): Promise<Measurement> {
  const ours = [process.pid, ...watch.map((target) => target.pid)];
  if (settings.quietWaitMs > 0) await waitForQuietMachine(ours, NOISY, settings.quietWaitMs);
  let before: CpuSnapshot | undefined;
  let foreignCpu = 0;
  let serverCpuSeconds = 0;
  let postgresCpuSeconds = 0;
  let redisCpuSeconds = 0;
  const onMeasure = (phase: 'start' | 'end') => {
    if (phase === 'start') before = snapshotCpu();
    else if (before) {
      const after = snapshotCpu();
      foreignCpu = foreignCpuShare(before, after, ours);
      serverCpuSeconds = cpuSecondsOf(before, after, watch.map((target) => target.pid));
      postgresCpuSeconds = cpuSecondsNamed(before, after, 'postgres');
      redisCpuSeconds = cpuSecondsNamed(before, after, 'redis-server');
    }
  };
  const { result: stats, peaks } = await sampleRssDuring(watch, () => runLoad(origin, plan, settings, onMeasure));
  return { stats, peaks, foreignCpu, serverCpuSeconds, postgresCpuSeconds, redisCpuSeconds };
}

function describe(id: string, unit: string, m: Measurement): string {
  const errors = m.stats.non2xx + m.stats.socketErrors;
  const noise = m.foreignCpu >= NOISY ? ` — ATTENTION : autres processus à ${(m.foreignCpu * 100).toFixed(0)} % du CPU pendant la mesure` : '';
  return `  ${id} : ${m.stats.operationsPerSecond.toFixed(0)} ${unit === 'req' ? 'req' : unit}/s, p99 ${m.stats.p99Ms} ms, ${errors} erreur(s)${noise}`;
}

/** Plans, warms up and measures one scenario while sampling the RSS of `watch`; never throws. */
export async function runScenario(
  scenario: Scenario,
  context: ScenarioContext,
  watch: RssTarget[],
  settings: LoadSettings,
  baselineRps: number | undefined,
): Promise<ScenarioResult> {
  const base = { id: scenario.id, title: scenario.title, server: scenario.server, kind: scenario.kind };
  try {
    const plan = await scenario.plan(context);
    if ('skip' in plan) {
      progress(`  ${scenario.id} : ignoré — ${plan.skip}`);
      return { ...base, status: 'skipped', reason: plan.skip, unit: 'req' };
    }
    const unit = plan.unit ?? 'req';
    progress(`  ${scenario.id} : ${settings.warmupSeconds} s de chauffe + ${settings.measureSeconds} s mesurées, ${settings.connections} connexions`);
    let best = await measureOnce(context.origin, plan, watch, settings);
    progress(describe(scenario.id, unit, best));
    for (let retry = 1; retry <= settings.noisyRetries && best.foreignCpu >= NOISY; retry += 1) {
      progress(`  ${scenario.id} : mesure perturbée, nouvel essai ${retry}/${settings.noisyRetries}`);
      const again = await measureOnce(context.origin, plan, watch, settings);
      progress(describe(scenario.id, unit, again));
      if (again.foreignCpu < best.foreignCpu) best = again;
    }
    const { stats } = best;
    const perOp = (seconds: number) => (seconds * 1e6) / Math.max(1, stats.operationsPerSecond * stats.durationSeconds);
    return {
      ...base,
      status: 'ok',
      unit,
      stats,
      rssPeaks: best.peaks,
      foreignCpu: best.foreignCpu,
      serverCpuMicrosPerOp: perOp(best.serverCpuSeconds),
      postgresCpuMicrosPerOp: perOp(best.postgresCpuSeconds),
      redisCpuMicrosPerOp: perOp(best.redisCpuSeconds),
      ...(baselineRps && scenario.kind !== 'baseline' ? { ratioToBaseline: stats.operationsPerSecond / baselineRps } : {}),
      ...(plan.note ? { note: plan.note } : {}),
    };
  } catch (error) {
    const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
    const reason = `${(error as Error).message}${cause ? ` (${cause.code ?? cause.message ?? ''})` : ''}`;
    progress(`  ${scenario.id} : ÉCHEC — ${reason}`);
    return { ...base, status: 'failed', reason, unit: 'req' };
  }
}
