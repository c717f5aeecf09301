// npm run lighthouse -w @girlycrea/bench -- [--runs N] [--skip-build]: Lighthouse performance of the production storefront, mobile preset.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { auditPage, describeLostAudits, launchLighthouseBrowser, lostAudits, type LostAudit } from '@girlycrea/e2e/lighthouse';
import { runCommand, type Cleanup } from './cleanup.js';
import { BenchError, progress, step } from './log.js';
import { foreignCpuShare, snapshotCpu, waitForQuietMachine } from './machine-load.js';
import { parseOptions } from './options.js';
import { describeMachine, writeResults } from './report/write.js';
import { startApi } from './servers/api.js';
import { startNext } from './servers/next.js';
import { API_ORIGIN, API_PORT, prepareEnvironment } from './setup/environment.js';

/** The score every measured page must reach (median of its runs, 0–100). */
export const PERFORMANCE_TARGET = 90;

/** The storefront pages measured by default: what a shopper lands on from a search engine or a share. */
export const LIGHTHOUSE_PAGES = [
  { name: 'accueil', path: '/' },
  { name: 'fiche produit', path: '/produits/chouchou-en-velours-rose-poudre' },
];

// Above this share of the CPU taken by other processes during a run, its timings are not trusted.
const NOISY = 0.1;

/** One Lighthouse run's performance score (0–100) and the metrics it is computed from. */
export interface PerformanceRun {
  score: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  siMs: number;
  /** Share of the machine's CPU (0–1) other processes used during the run. */
  foreignCpu: number;
}

/** The runs of one page and their medians (each value's median on its own). */
export interface PagePerformance {
  name: string;
  path: string;
  median: Omit<PerformanceRun, 'foreignCpu'>;
  runs: PerformanceRun[];
  /** The performance audits that cost points in the median-score run, worst first. */
  lost: LostAudit[];
}

const METRICS = {
  fcpMs: 'first-contentful-paint',
  lcpMs: 'largest-contentful-paint',
  tbtMs: 'total-blocking-time',
  cls: 'cumulative-layout-shift',
  siMs: 'speed-index',
} as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Runs Lighthouse's performance category (mobile preset, simulated throttling) `runs` times on each
 * page of the storefront at `origin`, each run after up to 30 s of waiting for a quiet machine.
 */
export async function measureStorefrontPerformance(origin: string, pages = LIGHTHOUSE_PAGES, runs = 3): Promise<PagePerformance[]> {
  // One plain request per page first: the measured runs meet warm server caches, as shoppers do.
  for (const page of pages) await (await fetch(`${origin}${page.path}`)).arrayBuffer();
  const browser = await launchLighthouseBrowser();
  try {
    const results: PagePerformance[] = [];
    for (const page of pages) {
      const measured: { run: PerformanceRun; lost: LostAudit[] }[] = [];
      for (let i = 1; i <= runs; i += 1) {
        await waitForQuietMachine([process.pid], NOISY, 30_000);
        const before = snapshotCpu();
        const lhr = await auditPage(browser, `${origin}${page.path}`, ['performance']);
        const foreignCpu = foreignCpuShare(before, snapshotCpu(), [process.pid]);
        const metric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
        const run: PerformanceRun = {
          score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
          fcpMs: Math.round(metric(METRICS.fcpMs)),
          lcpMs: Math.round(metric(METRICS.lcpMs)),
          tbtMs: Math.round(metric(METRICS.tbtMs)),
          cls: Number(metric(METRICS.cls).toFixed(3)),
          siMs: Math.round(metric(METRICS.siMs)),
          foreignCpu: Number(foreignCpu.toFixed(3)),
        };
        progress(`  ${page.path} run ${i}/${runs} : ${run.score} (bruit ${(foreignCpu * 100).toFixed(0)} %)`);
        measured.push({ run, lost: lostAudits(lhr) });
      }
      const all = measured.map((m) => m.run);
      const medianScore = median(all.map((r) => r.score));
      const closest = measured.reduce((best, m) => (Math.abs(m.run.score - medianScore) < Math.abs(best.run.score - medianScore) ? m : best));
      results.push({
        name: page.name,
        path: page.path,
        median: {
          score: medianScore,
          fcpMs: median(all.map((r) => r.fcpMs)),
          lcpMs: median(all.map((r) => r.lcpMs)),
          tbtMs: median(all.map((r) => r.tbtMs)),
          cls: median(all.map((r) => r.cls)),
          siMs: median(all.map((r) => r.siMs)),
        },
        runs: all,
        lost: closest.lost,
      });
    }
    return results;
  } finally {
    await browser.close();
  }
}

/** The results as a table, with what cost points on pages below the target. */
export function formatPerformance(results: PagePerformance[]): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const lines = ['page             score   FCP      LCP      TBT      CLS     SI       bruit max'];
  for (const r of results) {
    const noise = Math.max(...r.runs.map((run) => run.foreignCpu));
    lines.push(
      `${r.path.padEnd(16).slice(0, 16)} ${String(r.median.score).padStart(5)}   ${seconds(r.median.fcpMs).padEnd(8)} ${seconds(r.median.lcpMs).padEnd(8)} ` +
        `${`${r.median.tbtMs} ms`.padEnd(8)} ${r.median.cls.toFixed(3).padEnd(7)} ${seconds(r.median.siMs).padEnd(8)} ${(noise * 100).toFixed(0)} %` +
        `${r.median.score < PERFORMANCE_TARGET ? `   < ${PERFORMANCE_TARGET}` : ''}${noise > NOISY ? '   (bruité : à remesurer)' : ''}`,
    );
  }
  for (const r of results.filter((page) => page.median.score < PERFORMANCE_TARGET)) {
    lines.push('', `${r.path} : audits qui coûtent des points (run médian)`, describeLostAudits(r.lost).replace(/^/gm, '  '));
  }
  return lines.join('\n');
}

async function main(cleanup: Cleanup, argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string', default: '3' }, 'skip-build': { type: 'boolean', default: false } }, strict: true });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new BenchError(`--runs attend un entier positif (reçu « ${values.runs} »)`, 'par exemple --runs 3');
  const options = parseOptions(values['skip-build'] ? ['--skip-build'] : []);
  if (options === 'help') return 0;

  const startedAt = new Date().toISOString();
  const env = await prepareEnvironment(cleanup, options);
  // The browser's /api requests (product images, cart) follow the rewrite baked into the build, to port
  // 3901: with another API there, the pages would be measured against someone else's server.
  if (env.apiPort !== API_PORT) {
    throw new BenchError(`le port ${API_PORT} est pris : les images et le panier des pages viendraient d’une autre API`, 'attendez la fin de l’autre bench (ss -ltnp \'sport = :3901\'), puis relancez');
  }
  await step('API : 1 processus (apps/api/dist/entry.js, NODE_ENV=production)', 'lisez la sortie de l’API ci-dessus ; `npm run build` puis relancez', () =>
    startApi(cleanup, env.backends, API_PORT),
  );
  const next = await step('next start (build de production)', 'lisez la sortie de Next ci-dessus ; `npx turbo run build` puis relancez', () => startNext(cleanup, API_ORIGIN));
  const results = await step(`Lighthouse performance, mobile, ${runs} runs par page`, 'vérifiez /usr/bin/chromium (bash infra/test/prepare.sh)', () =>
    measureStorefrontPerformance(next.origin, LIGHTHOUSE_PAGES, runs),
  );
  console.log(`\n${formatPerformance(results)}\n`);
  const path = await writeResults('lighthouse.json', {
    startedAt,
    machine: describeMachine(),
    preset: 'mobile (Moto G Power, lent 4G simulé : 150 ms RTT, 1,6 Mb/s, CPU ×4)',
    target: PERFORMANCE_TARGET,
    runsPerPage: runs,
    pages: results,
  });
  progress(`résultats : ${path}`);
  return results.every((r) => r.median.score >= PERFORMANCE_TARGET) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCommand((cleanup) => main(cleanup, process.argv.slice(2)));
}
