import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { RESULTS_DIR, ROOT } from '../paths.js';

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** Where and on what the run happened, stored with its results. */
export function describeMachine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'inconnu',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    commit: git(['rev-parse', '--short', 'HEAD']),
    uncommittedFiles: git(['status', '--porcelain']).split('\n').filter(Boolean).length,
  };
}

/** Writes `data` as pretty JSON under bench/results/ and returns the path. */
export async function writeResults(name: string, data: unknown): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, name);
  await writeFile(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}

/** Sections of latest.json that other tools write (the migration's cutover, PgBouncer's worth, the backup drill): a bench run keeps them. */
const OTHER_TOOLS_SECTIONS = ['migration', 'pgbouncer', 'backupDrill'];

/** Those sections of the previous latest.json. */
export async function carriedOver(): Promise<Record<string, unknown>> {
  const previous = JSON.parse(await readFile(join(RESULTS_DIR, 'latest.json'), 'utf8').catch(() => '{}')) as Record<string, unknown>;
  return Object.fromEntries(OTHER_TOOLS_SECTIONS.filter((key) => previous[key] !== undefined).map((key) => [key, previous[key]]));
}
