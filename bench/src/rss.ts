import { readdirSync, readFileSync } from 'node:fs';

/** A process (or process tree) whose resident memory is watched during a scenario. */
export interface RssTarget {
  label: string;
  pid: number;
  /** Sum the process and all its descendants (e.g. `next start` and its server child). */
  tree?: boolean;
}

const SAMPLE_MS = 200;

/** VmRSS of a process in bytes, or 0 once it is gone. */
export function readRss(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

function withDescendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found = [root];
  for (let i = 0; i < found.length; i += 1) found.push(...(children.get(found[i]!) ?? []));
  return found;
}

/** Runs `work` while sampling every target's VmRSS; returns its result and each target's peak in bytes. */
export async function sampleRssDuring<T>(targets: RssTarget[], work: () => Promise<T>): Promise<{ result: T; peaks: Record<string, number> }> {
  const peaks: Record<string, number> = Object.fromEntries(targets.map((target) => [target.label, 0]));
  const sample = () => {
    for (const target of targets) {
      const pids = target.tree ? withDescendants(target.pid) : [target.pid];
      const rss = pids.reduce((sum, pid) => sum + readRss(pid), 0);
      peaks[target.label] = Math.max(peaks[target.label] ?? 0, rss);
    }
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  try {
    const result = await work();
    sample();
    return { result, peaks };
  } finally {
    clearInterval(timer);
  }
}
