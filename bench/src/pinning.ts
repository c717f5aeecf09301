import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * With `--pin`, the CPU each single-process server under load (one API, the traced API, the node:http
 * ceiling) is pinned to with `taskset`; undefined otherwise (also on one CPU or without taskset).
 * Pinned, a single-threaded server keeps one core to itself and the scheduler moves everything else
 * (load generator, PostgreSQL, Redis, PgBouncer) to the others. On 2 cores it did not steady the
 * tracing ratio (bench/README.md), hence off by default. PM2 workers and Next are never pinned.
 */
export function serverCpu(enabled: boolean): number | undefined {
  if (!enabled || availableParallelism() < 2) return undefined;
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return availableParallelism() - 1;
}

/** `command args…` run on `cpu` (through taskset, which execs it: same pid), or as is without one. */
export function onCpu(cpu: number | undefined, command: string, args: string[]): [string, string[]] {
  return cpu === undefined ? [command, args] : ['taskset', ['--cpu-list', String(cpu), command, ...args]];
}
