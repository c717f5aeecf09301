import { readdirSync, readFileSync } from 'node:fs';

// Shared services the bench loads on purpose: their CPU is part of the measurement, not noise.
const SERVICES = new Set(['postgres', 'redis-server', 'pgbouncer']);

// Linux's USER_HZ: /proc/<pid>/stat counts CPU time in hundredths of a second.
const TICKS_PER_SECOND = 100;

interface ProcessCpu {
  ticks: number;
  /** Ticks of its children that ended and were waited for (cutime + cstime), e.g. the load generator's. */
  reaped: number;
  parent: number;
  name: string;
}

/** CPU ticks used so far by the machine and by every process (with its parent and command name). */
export type CpuSnapshot = { busy: number; total: number; processes: Map<number, ProcessCpu> };

function machineTicks(): { busy: number; total: number } {
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // Interrupt time is left out: loopback traffic of the load itself lands there, attributed to no process.
  return { busy: user + nice + system, total: user + nice + system + idle + iowait };
}

/** Reads the machine's CPU counters and utime+stime of every process from /proc. */
export function snapshotCpu(): CpuSnapshot {
  const processes = new Map<number, ProcessCpu>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      processes.set(Number(entry), {
        name,
        parent: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
        reaped: Number(fields[13]) + Number(fields[14]),
      });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return { ...machineTicks(), processes };
}

/** `roots` and every process descended from them in `snapshot`. */
function withDescendants(snapshot: CpuSnapshot, roots: number[]): Set<number> {
  const found = new Set(roots);
  // Parents come before children often but not always: repeat until nothing is added.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, proc] of snapshot.processes) {
      if (!found.has(pid) && found.has(proc.parent)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return found;
}

/**
 * Share of the machine's CPU (0–1) used between two snapshots by anything that is not part of the
 * run: the machine's busy time minus that of `ours`, their descendants (those that ended in
 * between too, e.g. wrk, through their parent's count), PostgreSQL, Redis and PgBouncer (others
 * that ended in between count as foreign, e.g. another developer's tsc).
 */
export function foreignCpuShare(before: CpuSnapshot, after: CpuSnapshot, ours: number[]): number {
  const mine = withDescendants(after, ours);
  let ourTicks = 0;
  for (const [pid, proc] of after.processes) {
    const was = before.processes.get(pid);
    if (mine.has(pid)) ourTicks += proc.ticks + proc.reaped - (was ? was.ticks + was.reaped : 0);
    else if (SERVICES.has(proc.name)) ourTicks += proc.ticks - (was?.ticks ?? 0);
  }
  const total = after.total - before.total;
  return total > 0 ? Math.max(0, after.busy - before.busy - ourTicks) / total : 0;
}

/** CPU seconds used between two snapshots by `roots` and all their descendants. */
export function cpuSecondsOf(before: CpuSnapshot, after: CpuSnapshot, roots: number[]): number {
  const tree = withDescendants(after, roots);
  let ticks = 0;
  for (const pid of tree) ticks += (after.processes.get(pid)?.ticks ?? 0) - (before.processes.get(pid)?.ticks ?? 0);
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds used between two snapshots by processes named `name` (e.g. every PostgreSQL backend). */
export function cpuSecondsNamed(before: CpuSnapshot, after: CpuSnapshot, name: string): number {
  let ticks = 0;
  for (const [pid, proc] of after.processes) if (proc.name === name) ticks += proc.ticks - (before.processes.get(pid)?.ticks ?? 0);
  return ticks / TICKS_PER_SECOND;
}

/** Waits (up to `maxWaitMs`) for a second in which other processes use less than `threshold` of the CPU. */
export async function waitForQuietMachine(ours: number[], threshold: number, maxWaitMs: number): Promise<number> {
  const deadline = performance.now() + maxWaitMs;
  for (;;) {
    const before = snapshotCpu();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const share = foreignCpuShare(before, snapshotCpu(), ours);
    if (share < threshold || performance.now() > deadline) return share;
  }
}
