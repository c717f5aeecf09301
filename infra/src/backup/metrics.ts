import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Site } from '../site.js';
import type { BackupJob } from './render.js';

/** What one run of a backup job reports to node-exporter's textfile collector. */
export interface JobOutcome {
  job: BackupJob;
  success: boolean;
  durationSeconds: number;
  /** Extra gauges of this run (drill: rto_seconds, rpo_seconds). */
  gauges?: Record<string, number>;
}

/** The .prom file of one job: one per job so concurrent jobs never rewrite each other's lines. */
export function metricsFile(site: Site, job: BackupJob): string {
  return join(site.backup.metricsDir, `girlycrea_backup_${job}.prom`);
}

const SUCCESS_LINE = /^girlycrea_backup_last_success_timestamp_seconds\{[^}]*\} (\d+(?:\.\d+)?)$/m;

/** The last success time (seconds since epoch) a job's metric file records, or undefined. */
export async function lastSuccess(site: Site, job: BackupJob): Promise<number | undefined> {
  const text = await readFile(metricsFile(site, job), 'utf8').catch(() => '');
  const match = SUCCESS_LINE.exec(text);
  return match?.[1] ? Number(match[1]) : undefined;
}

/**
 * Writes the job's metrics atomically (temp file + rename, as the textfile collector requires). A
 * failed run keeps the previous success time, so an alert can say how long backups have been failing.
 */
export async function writeJobMetrics(site: Site, outcome: JobOutcome, now = Date.now()): Promise<void> {
  const { job } = outcome;
  const label = `{job="${job}"}`;
  const previous = await lastSuccess(site, job);
  const success = outcome.success ? Math.floor(now / 1000) : previous;
  const lines = [
    '# HELP girlycrea_backup_last_run_success 1 if the last run of the backup job succeeded, 0 if it failed.',
    '# TYPE girlycrea_backup_last_run_success gauge',
    `girlycrea_backup_last_run_success${label} ${outcome.success ? 1 : 0}`,
    '# HELP girlycrea_backup_last_run_timestamp_seconds When the last run of the backup job ended.',
    '# TYPE girlycrea_backup_last_run_timestamp_seconds gauge',
    `girlycrea_backup_last_run_timestamp_seconds${label} ${Math.floor(now / 1000)}`,
    '# HELP girlycrea_backup_last_duration_seconds How long the last run of the backup job took.',
    '# TYPE girlycrea_backup_last_duration_seconds gauge',
    `girlycrea_backup_last_duration_seconds${label} ${outcome.durationSeconds}`,
  ];
  if (success !== undefined) {
    lines.push(
      '# HELP girlycrea_backup_last_success_timestamp_seconds When the backup job last succeeded.',
      '# TYPE girlycrea_backup_last_success_timestamp_seconds gauge',
      `girlycrea_backup_last_success_timestamp_seconds${label} ${success}`,
    );
  }
  for (const [name, value] of Object.entries(outcome.gauges ?? {})) {
    lines.push(`# TYPE girlycrea_backup_${job}_${name} gauge`, `girlycrea_backup_${job}_${name} ${value}`);
  }
  await mkdir(site.backup.metricsDir, { recursive: true });
  const target = metricsFile(site, job);
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, `${lines.join('\n')}\n`);
  await rename(temp, target);
}

/** Runs a job, writes its metrics whatever happens, and rethrows its failure. */
export async function withJobMetrics<T>(site: Site, job: BackupJob, run: () => Promise<T>, gauges: (result: T) => Record<string, number> = () => ({})): Promise<T> {
  const started = performance.now();
  const duration = () => Math.round((performance.now() - started) / 100) / 10;
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await writeJobMetrics(site, { job, success: false, durationSeconds: duration() });
    throw error;
  }
  await writeJobMetrics(site, { job, success: true, durationSeconds: duration(), gauges: gauges(result) });
  return result;
}
