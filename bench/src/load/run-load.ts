import autocannon from 'autocannon';
import { diffOtlpCounts, type OtlpCounts, type OtlpSink } from '../servers/otlp-sink.js';

/** Counts what a multi-request flow completed (e.g. orders), beyond raw HTTP requests. */
export interface Tally {
  reset(): void;
  read(): { operations: number; extraRequests: number; failures: string[] };
}

/** What a scenario sends: a fixed GET `path`, or dynamic `requests`/`setupClient` (autocannon's API). */
export interface LoadPlan {
  path?: string;
  requests?: autocannon.Request[];
  setupClient?: (client: autocannon.Client) => void;
  /** Headers sent with every request (e.g. a browser's Accept-Encoding). */
  headers?: Record<string, string>;
  /** What one "operation" is when it is not one request (e.g. "commandes"). */
  unit?: string;
  tally?: Tally;
  /** Paths fetched once before the warm-up, so every cache entry is built. */
  prewarm?: string[];
  /** Shown under the table (e.g. how sessions are used). */
  note?: string;
  /** The OTLP sink the server under load exports its traces to: its counters are read around the measured period. */
  otlpSink?: OtlpSink;
}

/** One measured period's numbers. */
export interface LoadStats {
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  /** Operations per second when the plan has a tally (e.g. orders/s), else requests/s. */
  operationsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  socketErrors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  failures: string[];
  /** What the OTLP sink received during the measured period (traced scenarios only). */
  otlp?: OtlpCounts;
}

/**
 * Generator threads for a fixed-path plan. One thread of autocannon spends ~97 µs of CPU per TLS
 * request for a 6 KB page, twice Nginx's own ~52 µs (measured on the product page), so a single
 * thread measured the generator, not Nginx. Fixed-path plans (the baseline included) fire from two
 * threads; flows with per-client code (setupClient) stay in one, as autocannon's workers need them.
 */
const GENERATOR_THREADS = 2;

async function fire(origin: string, plan: LoadPlan, connections: number, seconds: number): Promise<autocannon.Result> {
  const fixedPath = !plan.requests && !plan.setupClient;
  return autocannon({
    url: `${origin}${plan.path ?? '/'}`,
    connections,
    duration: seconds,
    timeout: 10,
    ...(fixedPath ? { workers: GENERATOR_THREADS } : {}),
    ...(plan.requests ? { requests: plan.requests } : {}),
    ...(plan.setupClient ? { setupClient: plan.setupClient } : {}),
    ...(plan.headers ? { headers: plan.headers } : {}),
  });
}

/** Fetches each prewarm path once, a few at a time. */
async function prewarm(origin: string, paths: string[], headers: Record<string, string> = {}): Promise<void> {
  const queue = [...paths];
  const worker = async () => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const response = await fetch(`${origin}${path}`, { headers });
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** Warms up for `warmupSeconds` (results dropped), then measures for `measureSeconds`. */
export async function runLoad(
  origin: string,
  plan: LoadPlan,
  options: { connections: number; warmupSeconds: number; measureSeconds: number },
  onMeasure: (phase: 'start' | 'end') => void = () => undefined,
): Promise<LoadStats> {
  if (plan.prewarm) await prewarm(origin, plan.prewarm, plan.headers);
  await fire(origin, plan, options.connections, options.warmupSeconds);
  plan.tally?.reset();
  onMeasure('start');
  const sinkBefore = plan.otlpSink?.counts();
  const result = await fire(origin, plan, options.connections, options.measureSeconds);
  const sinkAfter = plan.otlpSink?.counts();
  onMeasure('end');
  const tally = plan.tally?.read();
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0]),
  );
  const seconds = result.duration;
  return {
    durationSeconds: seconds,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / seconds,
    operationsPerSecond: (tally ? tally.operations : result.requests.total) / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    failures: tally?.failures ?? [],
    ...(sinkBefore && sinkAfter ? { otlp: diffOtlpCounts(sinkBefore, sinkAfter) } : {}),
  };
}
