/** The parts of a V8 `.cpuprofile` (as written by `node --cpu-prof`) that the summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Time spent in one function or one package. */
export interface ProfileEntry {
  name: string;
  where: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  pct: number;
}

/** What dominates a profile: self time by function and by package, and inclusive time by function. */
export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  topSelf: ProfileEntry[];
  byPackage: ProfileEntry[];
  topInclusive: ProfileEntry[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a frame's code lives: a package name, a node: module, an app folder, or "V8/natif". */
export function packageOf(url: string, functionName: string): string {
  if (SPECIAL.has(functionName) && url === '') return functionName;
  if (url === '') return 'V8/natif';
  if (url.startsWith('node:')) return url.split('/')[0]!;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const workspace = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (workspace) return workspace[1] === 'packages' ? `@girlycrea/${workspace[2]}` : `apps/${workspace[2]}`;
  return url;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) return url.slice(modules + '/node_modules/'.length);
  const repo = /\/(packages|apps)\/.+$/.exec(url);
  return repo ? repo[0].slice(1) : url.replace(/^file:\/\//, '');
}

function top(map: Map<string, { name: string; where: string; ms: number }>, busyMs: number, count: number): ProfileEntry[] {
  return [...map.values()]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map((entry) => ({ ...entry, ms: Math.round(entry.ms), pct: Math.round((entry.ms / busyMs) * 1000) / 10 }));
}

/** Summarises a profile: each sample's time goes to its frame (self) and to every distinct function on its stack (inclusive). */
export function summariseProfile(profile: CpuProfile, count = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const key = (id: number) => {
    const frame = byId.get(id)!.callFrame;
    return `${frame.functionName || '(anonyme)'}\u0000${frame.url}:${frame.lineNumber + 1}`;
  };
  const describe = (id: number) => {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    return { name: frame.functionName || '(anonyme)', where };
  };

  const self = new Map<string, { name: string; where: string; ms: number }>();
  const inclusive = new Map<string, { name: string; where: string; ms: number }>();
  const packages = new Map<string, { name: string; where: string; ms: number }>();
  let idleMs = 0;
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    // A sample lasts until the next one is taken.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    totalMs += ms;
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    const selfKey = key(id);
    const entry = self.get(selfKey) ?? { ...describe(id), ms: 0 };
    entry.ms += ms;
    self.set(selfKey, entry);
    const pkg = packageOf(frame.url, frame.functionName);
    const pkgEntry = packages.get(pkg) ?? { name: pkg, where: '', ms: 0 };
    pkgEntry.ms += ms;
    packages.set(pkg, pkgEntry);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = key(at);
      if (seen.has(k) || SPECIAL.has(byId.get(at)!.callFrame.functionName)) continue;
      seen.add(k);
      const incl = inclusive.get(k) ?? { ...describe(at), ms: 0 };
      incl.ms += ms;
      inclusive.set(k, incl);
    }
  });
  const busyMs = Math.max(1, totalMs - idleMs);
  return {
    totalMs: Math.round(totalMs),
    idleMs: Math.round(idleMs),
    busyMs: Math.round(busyMs),
    topSelf: top(self, busyMs, count),
    byPackage: top(packages, busyMs, 15),
    topInclusive: top(inclusive, busyMs, count),
  };
}

/** The summary as text tables. */
export function formatProfileSummary(summary: ProfileSummary): string {
  const rows = (entries: ProfileEntry[]) =>
    entries.map((e) => `  ${e.pct.toFixed(1).padStart(5)} %  ${String(e.ms).padStart(7)} ms  ${e.name}${e.where ? `  (${e.where})` : ''}`);
  return [
    `Profil : ${(summary.totalMs / 1000).toFixed(1)} s échantillonnées, ${(summary.busyMs / 1000).toFixed(1)} s occupées, ${(summary.idleMs / 1000).toFixed(1)} s au repos (% du temps occupé)`,
    'Temps propre par fonction :',
    ...rows(summary.topSelf),
    'Temps propre par paquet :',
    ...rows(summary.byPackage),
    'Temps inclusif par fonction :',
    ...rows(summary.topInclusive),
  ].join('\n');
}
