import { progress } from './log.js';
import { runLoad } from './load/run-load.js';
import { foreignCpuShare, snapshotCpu, waitForQuietMachine, type CpuSnapshot } from './machine-load.js';
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
}

// Above this share of the CPU taken by other processes, a measurement is flagged as disturbed.
const NOISY = 0.1;

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
    progress(`  ${scenario.id} : ${settings.warmupSeconds} s de chauffe + ${settings.measureSeconds} s mesurées, ${settings.connections} connexions`);
    const ours = [process.pid, ...watch.map((target) => target.pid)];
    if (settings.quietWaitMs > 0) {
      const share = await waitForQuietMachine(ours, NOISY, settings.quietWaitMs);
      if (share >= NOISY) progress(`  ${scenario.id} : la machine reste occupée par d’autres processus (${(share * 100).toFixed(0)} % CPU), mesure quand même`);
    }
    let before: CpuSnapshot | undefined;
    let foreignCpu = 0;
    const onMeasure = (phase: 'start' | 'end') => {
      if (phase === 'start') before = snapshotCpu();
      else if (before) foreignCpu = foreignCpuShare(before, snapshotCpu(), ours);
    };
    const { result: stats, peaks } = await sampleRssDuring(watch, () => runLoad(context.origin, plan, settings, onMeasure));
    const unit = plan.unit ?? 'req';
    const errors = stats.non2xx + stats.socketErrors;
    const noise = foreignCpu >= NOISY ? ` — ATTENTION : autres processus à ${(foreignCpu * 100).toFixed(0)} % du CPU pendant la mesure` : '';
    progress(`  ${scenario.id} : ${stats.operationsPerSecond.toFixed(0)} ${unit === 'req' ? 'req' : unit}/s, p99 ${stats.p99Ms} ms, ${errors} erreur(s)${noise}`);
    return {
      ...base,
      status: 'ok',
      unit,
      stats,
      rssPeaks: peaks,
      foreignCpu,
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
