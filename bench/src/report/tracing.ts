import { NOISY } from '../run-scenario.js';
import type { ScenarioResult } from './types.js';

/** The untraced scenario and its traced twin (same path, same load, metrics on in both). */
export const UNTRACED_ID = 'products';
export const TRACED_ID = 'products-traced';
/** Issue 6: tracing and metrics on cost at most this share of the product list's throughput. */
export const MAX_TRACING_LOSS = 0.15;

/** What turning tracing on cost on the product list. */
export interface TracingCost {
  untracedRps: number;
  tracedRps: number;
  /** tracedRps / untracedRps. */
  ratio: number;
  /** 1 - ratio: the share of throughput lost. */
  loss: number;
  /** CPU of the API process per request, without and with tracing (µs): independent of other load. */
  untracedCpuMicros?: number;
  tracedCpuMicros?: number;
  /**
   * 1 - untracedCpu / tracedCpu: the throughput lost when the API process is the bottleneck (req/s = 1 / CPU per
   * request). Unaffected by other load, unlike the measured ratio; on this machine the load generator shares the
   * CPU, so the measured loss can be smaller when `products` is limited by the client rather than by the API.
   */
  cpuLoss?: number;
  /** Spans the sink received per request served during the measured period. */
  spansPerRequest?: number;
  /** The larger share of CPU other processes took during either measurement. */
  noise: number;
}

/** What the machine knew about both API processes when they started (not in the results themselves). */
export interface TracingSetup {
  /** Whether each API served its Prometheus metrics at start-up (they must be on in both for the comparison). */
  metricsServed: { untraced: boolean; traced?: boolean };
  /** OTEL_* settings taken from the bench's own environment (sampler, batching); empty: the SDK's defaults. */
  otelOverrides: Record<string, string>;
}

/** "OTEL_TRACES_SAMPLER=… OTEL_TRACES_SAMPLER_ARG=…", or '' with the SDK's defaults. */
export function overridesText(setup: TracingSetup | undefined): string {
  return Object.entries(setup?.otelOverrides ?? {})
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}

function measured(results: ScenarioResult[], id: string): ScenarioResult | undefined {
  const result = results.find((r) => r.id === id);
  return result?.status === 'ok' && result.stats ? result : undefined;
}

/** products vs products-traced, when both were measured. */
export function tracingCost(results: ScenarioResult[]): TracingCost | undefined {
  const untraced = measured(results, UNTRACED_ID);
  const traced = measured(results, TRACED_ID);
  if (!untraced || !traced) return undefined;
  const untracedRps = untraced.stats!.operationsPerSecond;
  const tracedRps = traced.stats!.operationsPerSecond;
  const otlp = traced.stats!.otlp;
  return {
    untracedRps,
    tracedRps,
    ratio: tracedRps / untracedRps,
    loss: 1 - tracedRps / untracedRps,
    untracedCpuMicros: untraced.serverCpuMicrosPerOp,
    tracedCpuMicros: traced.serverCpuMicrosPerOp,
    ...(untraced.serverCpuMicrosPerOp && traced.serverCpuMicrosPerOp ? { cpuLoss: 1 - untraced.serverCpuMicrosPerOp / traced.serverCpuMicrosPerOp } : {}),
    ...(otlp ? { spansPerRequest: otlp.spans / Math.max(1, traced.stats!.requests) } : {}),
    noise: Math.max(untraced.foreignCpu ?? 0, traced.foreignCpu ?? 0),
  };
}

const pct = (share: number, digits = 1) => `${(share * 100).toFixed(digits)} %`;

/** "12.3 % de débit en moins", or "… en plus" when the traced run came out faster (noise). */
export function lossText(loss: number): string {
  return loss >= 0 ? `${pct(loss)} de débit en moins` : `${pct(-loss)} de débit en plus (bruit ?)`;
}
const int = (n: number) => Math.round(n).toLocaleString('fr-FR');

/** The CPU per request without → with tracing, e.g. "85 → 97 µs (+14 %)". */
export function cpuText(cost: TracingCost): string | undefined {
  if (cost.untracedCpuMicros === undefined || cost.tracedCpuMicros === undefined) return undefined;
  const increase = cost.tracedCpuMicros / cost.untracedCpuMicros - 1;
  return `${cost.untracedCpuMicros.toFixed(0)} → ${cost.tracedCpuMicros.toFixed(0)} µs (${increase >= 0 ? '+' : ''}${pct(increase, 0)})`;
}

/** The lines under the table: the cost, the proof that tracing was on, and why there is one span per request. */
export function formatTracing(results: ScenarioResult[], setup: TracingSetup | undefined): string[] {
  const traced = measured(results, TRACED_ID);
  if (!traced) return [];
  const lines: string[] = [];
  const cost = tracingCost(results);
  if (cost) {
    const cpu = cpuText(cost);
    lines.push(
      `  · coût du traçage : ${TRACED_ID} ${int(cost.tracedRps)} req/s = ${pct(cost.ratio)} de ${UNTRACED_ID} (${int(cost.untracedRps)} req/s), soit ${lossText(cost.loss)}` +
        (cpu ? ` ; CPU de l’API par requête ${cpu}` : ''),
    );
    if (cost.untracedCpuMicros !== undefined && cost.tracedCpuMicros !== undefined) {
      const cores = (micros: number, rps: number) => ((micros * rps) / 1e6).toFixed(2);
      lines.push(
        `  · CPU de l’API pendant la mesure : ${UNTRACED_ID} ${cores(cost.untracedCpuMicros, cost.untracedRps)} cœur, ${TRACED_ID} ${cores(cost.tracedCpuMicros, cost.tracedRps)} cœur ` +
          '(près de 1 : l’API, monothread, est le goulot ; bien en dessous : c’est le générateur de charge ou la machine)',
      );
    }
    const rss = (id: string) => results.find((r) => r.id === id)?.rssPeaks?.api;
    const [untracedRss, tracedRss] = [rss(UNTRACED_ID), rss(TRACED_ID)];
    if (untracedRss && tracedRss) {
      lines.push(`  · RSS max de l’API : ${UNTRACED_ID} ${(untracedRss / 2 ** 20).toFixed(0)} Mo → ${TRACED_ID} ${(tracedRss / 2 ** 20).toFixed(0)} Mo (SDK, spans en file, tampons d’export)`);
    }
    if (cost.cpuLoss !== undefined) {
      lines.push(
        `  · d’après le CPU par requête (indépendant du bruit), une API saturée perdrait ${lossText(cost.cpuLoss)} ; le ratio mesuré peut être plus doux quand ` +
          `${UNTRACED_ID} est limité par le générateur de charge (même machine) plutôt que par l’API`,
      );
    }
    if (cost.noise >= NOISY) lines.push(`  · ATTENTION : autres processus à ${pct(cost.noise, 0)} du CPU pendant l’une des deux mesures : ratio à reprendre sur une machine calme`);
  } else lines.push(`  · coût du traçage : lancez aussi « ${UNTRACED_ID} » pour le ratio (--only ${UNTRACED_ID},${TRACED_ID})`);
  const overrides = overridesText(setup);
  if (overrides) lines.push(`  · réglages non par défaut repris de l’environnement du bench : ${overrides} (l’objectif vise le défaut : tout échantillonner)`);
  const metrics = setup?.metricsServed;
  if (metrics) {
    const both = metrics.untraced && metrics.traced === true;
    lines.push(
      both
        ? '  · métriques prom-client actives et servies (/metrics) par les deux API : l’écart mesuré est celui du traçage seul, par-dessus des métriques toujours actives'
        : `  · ATTENTION : /metrics ne répondait pas sur l’API ${[metrics.untraced ? '' : 'non tracée', metrics.traced ? '' : 'tracée'].filter(Boolean).join(' ni sur l’API ')} : comparaison faussée`,
    );
  }
  const otlp = traced.stats!.otlp;
  if (otlp) {
    const names = Object.entries(otlp.spansByName)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([name, n]) => `${name} ×${int(n)}`)
      .join(', ');
    const perRequest = otlp.spans / Math.max(1, traced.stats!.requests);
    lines.push(
      `  · preuve : pendant la mesure, le puits OTLP (node:http local, remplace SigNoz) a reçu ${int(otlp.spans)} spans (${perRequest.toFixed(2)} par requête) ` +
        `en ${int(otlp.requests)} envois http/protobuf, ${(otlp.bytes / 2 ** 20).toFixed(1)} Mo (${otlp.spans > 0 ? (otlp.bytes / otlp.spans).toFixed(0) : '–'} o/span) ; spans : ${names || 'aucun'}`,
    );
    if (otlp.undecoded > 0) lines.push(`  · ${otlp.undecoded} envoi(s) illisible(s) par le puits (comptés en octets, pas en spans)`);
    // Every request goes through Express and gets at least its server span: fewer means spans were dropped.
    if (perRequest < 0.95 && !setup?.otelOverrides.OTEL_TRACES_SAMPLER) {
      lines.push(
        `  · ATTENTION : ${pct(1 - perRequest, 0)} des requêtes sans span reçu : file du BatchSpanProcessor pleine (2 048 spans), spans perdus ; le coût d’un export complet est sous-estimé`,
      );
    }
    lines.push(`  · le puits lui-même a pris ${otlp.handlerMs.toFixed(0)} ms de CPU du processus du bench pendant la mesure (décodage, comptage)`);
  }
  lines.push(
    '  · la liste p.1 chaude traverse Express et lit sa réponse dans Redis : chaque requête exporte ses spans (serveur HTTP, routeur, Redis), ' +
      'comme toute route de l’API en production.',
  );
  return lines;
}
