import { execFile } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { diffOtlpCounts, type OtlpCounts, type OtlpSink } from '../servers/otlp-sink.js';

const run = promisify(execFile);

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

/** What one firing measured, whichever generator fired it. */
type Fired = Pick<LoadStats, 'requests' | 'p50Ms' | 'p99Ms' | 'maxMs' | 'non2xx' | 'socketErrors' | 'timeouts' | 'statusCodes'> & { seconds: number };

/**
 * Fixed-path plans fire from wrk (C, two threads): autocannon spent ~97 µs of CPU per TLS request
 * for a 6 KB page, twice Nginx's own ~52 µs, so on 2 shared cores it measured itself, not the
 * server. Flows with per-request code (requests, setupClient) stay on autocannon.
 */
const WRK_THREADS = 2;
const WRK_SUMMARY = fileURLToPath(new URL('./wrk-summary.lua', import.meta.url));

async function fireWrk(url: string, plan: LoadPlan, connections: number, seconds: number): Promise<Fired> {
  const headers = Object.entries(plan.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  // wrk wants at least one connection per thread.
  const args = ['-t', String(Math.min(WRK_THREADS, connections)), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s', '-s', WRK_SUMMARY, ...headers, url];
  let stdout: string;
  try {
    ({ stdout } = await run('wrk', args));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? 'wrk introuvable : installez-le (bash infra/test/prepare.sh en root)' : `wrk a échoué : ${String(error)}`);
  }
  const line = stdout.split('\n').find((l) => l.startsWith('WRK_SUMMARY '));
  if (!line) throw new Error(`wrk n’a pas imprimé son résumé :\n${stdout}`);
  const s = JSON.parse(line.slice('WRK_SUMMARY '.length)) as Record<string, number>;
  return {
    seconds: s.durationUs! / 1e6,
    requests: s.requests!,
    p50Ms: s.p50Us! / 1000,
    p99Ms: s.p99Us! / 1000,
    maxMs: s.maxUs! / 1000,
    non2xx: s.status!,
    socketErrors: s.connect! + s.read! + s.write! + s.timeout!,
    timeouts: s.timeout!,
    // wrk tells answers ≥ 400 apart from the rest, no finer: the probe before the load wants a 200.
    statusCodes: { '2xx/3xx': s.requests! - s.status!, '4xx/5xx': s.status! },
  };
}

async function fireAutocannon(url: string, plan: LoadPlan, connections: number, seconds: number): Promise<Fired> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    ...(plan.requests ? { requests: plan.requests } : {}),
    ...(plan.setupClient ? { setupClient: plan.setupClient } : {}),
    ...(plan.headers ? { headers: plan.headers } : {}),
  });
  return {
    seconds: result.duration,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0])),
  };
}

/** Whether every request of the plan is the same GET (no per-request code). */
const isFixedPath = (plan: LoadPlan) => !plan.requests && !plan.setupClient;

function fire(origin: string, plan: LoadPlan, connections: number, seconds: number): Promise<Fired> {
  return (isFixedPath(plan) ? fireWrk : fireAutocannon)(`${origin}${plan.path ?? '/'}`, plan, connections, seconds);
}

/**
 * A fixed path must answer 200 before wrk hammers it, since wrk counts a redirect as a success.
 * Loopback only, and Nginx's certificate is the bench's own: it is not verified (wrk does not either).
 */
async function probe(origin: string, plan: LoadPlan): Promise<void> {
  if (!isFixedPath(plan)) return;
  const url = new URL(plan.path ?? '/', origin);
  const get = url.protocol === 'https:' ? httpsGet : httpGet;
  const status = await new Promise<number | undefined>((resolve, reject) => {
    get(url, { headers: plan.headers ?? {}, rejectUnauthorized: false }, (response) => {
      response.resume().on('end', () => resolve(response.statusCode)).on('error', reject);
    }).on('error', reject);
  });
  if (status !== 200) throw new Error(`${url.pathname} répond ${status} au lieu de 200 : charge annulée`);
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
  await probe(origin, plan);
  await fire(origin, plan, options.connections, options.warmupSeconds);
  plan.tally?.reset();
  onMeasure('start');
  const sinkBefore = plan.otlpSink?.counts();
  const { seconds, ...result } = await fire(origin, plan, options.connections, options.measureSeconds);
  const sinkAfter = plan.otlpSink?.counts();
  onMeasure('end');
  const tally = plan.tally?.read();
  return {
    ...result,
    durationSeconds: seconds,
    requestsPerSecond: result.requests / seconds,
    operationsPerSecond: (tally ? tally.operations : result.requests) / seconds,
    failures: tally?.failures ?? [],
    ...(sinkBefore && sinkAfter ? { otlp: diffOtlpCounts(sinkBefore, sinkAfter) } : {}),
  };
}
