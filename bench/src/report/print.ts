import { formatTracing, type TracingSetup } from './tracing.js';
import type { ScenarioResult, TargetCheck } from './types.js';

const MB = 1024 * 1024;

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function rssText(peaks: Record<string, number> | undefined): string {
  if (!peaks) return '';
  return Object.entries(peaks)
    .map(([label, bytes]) => `${label} ${(bytes / MB).toFixed(0)}`)
    .join(' · ');
}

function rateText(result: ScenarioResult): string {
  const stats = result.stats!;
  const rate = stats.operationsPerSecond.toFixed(0);
  return result.unit === 'req' ? rate : `${rate} ${result.unit}`;
}

/** The results as a fixed-width text table, then notes and the targets. */
export function formatReport(results: ScenarioResult[], targets: TargetCheck[], tracing?: TracingSetup): string {
  const columns = [
    ['scénario', 22],
    ['serveur', 8],
    ['débit/s', 15],
    ['p50 ms', 7],
    ['p99 ms', 7],
    ['erreurs', 8],
    ['RSS max (Mo)', 26],
    ['/plafond', 8],
    ['CPU µs/op', 9],
    ['PG µs', 6],
    ['Redis', 5],
    ['bruit', 5],
  ] as const;
  const lines = [columns.map(([name, width]) => pad(name, width)).join(' '), columns.map(([, width]) => '-'.repeat(width)).join(' ')];
  for (const result of results) {
    if (result.status !== 'ok' || !result.stats) {
      lines.push(`${pad(result.id, 22)} ${pad(result.server, 8)} ${result.status === 'skipped' ? 'IGNORÉ' : 'ÉCHEC'} : ${result.reason ?? ''}`);
      continue;
    }
    const stats = result.stats;
    const cells = [
      pad(result.id, 22),
      pad(result.server, 8),
      pad(rateText(result), 15, true),
      pad(String(stats.p50Ms), 7, true),
      pad(String(stats.p99Ms), 7, true),
      pad(String(stats.non2xx + stats.socketErrors), 8, true),
      pad(rssText(result.rssPeaks), 26),
      pad(result.ratioToBaseline === undefined ? '' : `${(result.ratioToBaseline * 100).toFixed(1)} %`, 8, true),
      pad(result.serverCpuMicrosPerOp === undefined ? '' : result.serverCpuMicrosPerOp.toFixed(0), 9, true),
      pad(result.postgresCpuMicrosPerOp === undefined ? '' : result.postgresCpuMicrosPerOp.toFixed(0), 6, true),
      pad(result.redisCpuMicrosPerOp === undefined ? '' : result.redisCpuMicrosPerOp.toFixed(0), 5, true),
      pad(result.foreignCpu === undefined ? '' : `${(result.foreignCpu * 100).toFixed(0)} %`, 5, true),
    ];
    lines.push(cells.join(' '));
  }
  const details = results.flatMap((result) => {
    const out: string[] = [];
    if (result.note) out.push(`  · ${result.note}`);
    if (result.stats && result.unit !== 'req') out.push(`  · ${result.id} : ${result.stats.requestsPerSecond.toFixed(0)} requêtes HTTP/s au total`);
    const codes = Object.entries(result.stats?.statusCodes ?? {}).filter(([code]) => /^\d+$/.test(code) && !code.startsWith('2'));
    if (codes.length > 0) out.push(`  · ${result.id} : codes non-2xx ${codes.map(([code, n]) => `${code}×${n}`).join(', ')}`);
    if (result.stats && result.stats.socketErrors > 0) out.push(`  · ${result.id} : ${result.stats.socketErrors} erreur(s) réseau dont ${result.stats.timeouts} délai(s) dépassé(s) (10 s)`);
    for (const failure of result.stats?.failures ?? []) out.push(`  · ${result.id} : ${failure}`);
    return out;
  });
  const legend = [
    'débit : requêtes/s (ou opérations/s pour les parcours) · RSS : pic de VmRSS par processus · /plafond : débit ÷ req/s du node:http nu',
    'CPU µs/op : temps CPU des processus serveur (API, workers ou Next + API) par requête ou opération : indépendant du bruit',
    'PG µs / Redis : CPU de tous les processus postgres / redis-server par opération (partagés avec la machine : ordre de grandeur)',
    'bruit : part du CPU prise par d’autres processus de la machine pendant la mesure (> 10 % : chiffres à reprendre)',
  ];
  const targetLines = targets.map((check) => `  ${check.met === null ? '–' : check.met ? '✓' : '✗'} ${check.target} : ${check.actual}`);
  const tracingLines = formatTracing(results, tracing);
  return [
    ...lines,
    ...legend,
    '',
    ...(details.length ? ['Notes :', ...details, ''] : []),
    ...(tracingLines.length ? ['Traçage (products-traced : products contre une 2e API, OTLP http/protobuf vers un puits local, échantillonnage par défaut = tout) :', ...tracingLines, ''] : []),
    'Objectifs :',
    ...targetLines,
  ].join('\n');
}
