import { existsSync } from 'node:fs';
import { chown, mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Site } from '../site.js';
import { lastSuccess } from './metrics.js';
import { BACKUP_JOBS } from './render.js';
import { BackupError, pgbackrest, psql, secondsSince, type Log } from './run.js';
import { userIds } from './users.js';

/** The repositories of the site, in pgBackRest's numbering. */
export function repositories(site: Site): { key: number; name: string }[] {
  return [{ key: 1, name: `local (${site.backup.local.path})` }, ...(site.backup.s3 ? [{ key: 2, name: `S3 (${site.backup.s3.endpoint}/${site.backup.s3.bucket})` }] : [])];
}

/** Creates the stanza in every repository (idempotent) and checks that WAL reaches each one. */
export async function initStanza(site: Site, log: Log): Promise<void> {
  // pgBackRest runs as the cluster's user: its folders must be that user's (the Debian package makes only some).
  const { uid, gid } = await userIds(site.backup.postgres.user);
  for (const dir of [site.backup.local.path, site.backup.lockPath, site.backup.logPath, site.backup.spoolPath]) {
    await mkdir(dirname(dir), { recursive: true });
    await mkdir(dir, { recursive: true, mode: 0o750 });
    await chown(dir, uid, gid);
  }
  log(`création du stanza ${site.backup.stanza} (idempotent)…`);
  await pgbackrest(site, 'stanza-create', [], log);
  log('vérification de l’archivage WAL dans chaque dépôt…');
  await pgbackrest(site, 'check', [], log);
}

/** What one backup run did, per repository. */
export interface BackupSummary {
  type: 'full' | 'diff' | 'incr';
  repos: { key: number; label: string; seconds: number }[];
}

/** Takes a backup of `type` into every repository, one after the other; throws at the first failure. */
export async function backupNow(site: Site, type: BackupSummary['type'], log: Log): Promise<BackupSummary> {
  const summary: BackupSummary = { type, repos: [] };
  for (const repo of repositories(site)) {
    const started = performance.now();
    log(`sauvegarde ${type} vers le dépôt ${repo.key} ${repo.name}…`);
    await pgbackrest(site, 'backup', [`--repo=${repo.key}`, `--type=${type}`], log);
    const info = await backupInfo(site);
    const label = info.backups.filter((backup) => backup.repo === repo.key).at(-1)?.label ?? '?';
    summary.repos.push({ key: repo.key, label, seconds: secondsSince(started) });
    log(`  ✓ dépôt ${repo.key} : ${label} en ${secondsSince(started)} s`);
  }
  return summary;
}

/** One backup set as `pgbackrest info` lists it. */
export interface BackupSet {
  label: string;
  type: string;
  repo: number;
  start: Date;
  stop: Date;
  /** Bytes the set adds to its repository (compressed). */
  repoDelta: number;
  /** Bytes of the database it holds. */
  size: number;
}

/** The backup sets and archived WAL range, every repository. */
export interface BackupInfo {
  status: string;
  backups: BackupSet[];
  archive: { min?: string; max?: string };
}

interface InfoJson {
  status?: { message?: string };
  backup?: {
    label: string;
    type: string;
    database?: { 'repo-key'?: number };
    timestamp: { start: number; stop: number };
    info?: { size?: number; repository?: { delta?: number } };
  }[];
  archive?: { min?: string | null; max?: string | null }[];
}

/** `pgbackrest info --output=json`, reduced to what status and the drill need. */
export async function backupInfo(site: Site): Promise<BackupInfo> {
  const json = JSON.parse(await pgbackrest(site, 'info', ['--output=json', '--log-level-console=warn'])) as InfoJson[];
  const stanza = json[0];
  const archives = stanza?.archive ?? [];
  return {
    status: stanza?.status?.message ?? 'inconnu',
    backups: (stanza?.backup ?? []).map((backup) => ({
      label: backup.label,
      type: backup.type,
      repo: backup.database?.['repo-key'] ?? 1,
      start: new Date(backup.timestamp.start * 1000),
      stop: new Date(backup.timestamp.stop * 1000),
      repoDelta: backup.info?.repository?.delta ?? 0,
      size: backup.info?.size ?? 0,
    })),
    archive: { min: archives.map((a) => a.min ?? undefined).filter(Boolean).sort()[0], max: archives.map((a) => a.max ?? undefined).filter(Boolean).sort().at(-1) },
  };
}

/** The WAL archiver as PostgreSQL sees it, and the commits a crash right now would lose. */
export interface ArchiveState {
  lastArchivedWal?: string;
  lastArchivedAt?: Date;
  failedCount: number;
  lastFailedAt?: Date;
  /** Seconds of commits not yet archived (0 when everything written is in the archive). */
  rpoSeconds: number;
}

/**
 * Reads pg_stat_archiver. The RPO is the age of the oldest WAL not yet archived: 0 when the segment
 * being written holds nothing past the last archived one, else the time since that segment was archived.
 */
export async function archiveState(site: Site): Promise<ArchiveState> {
  const [row] = await psql(site, [
    `SELECT coalesce(last_archived_wal, ''), coalesce(extract(epoch FROM last_archived_time)::text, ''), failed_count,
            coalesce(extract(epoch FROM last_failed_time)::text, ''), pg_walfile_name(pg_current_wal_insert_lsn()),
            extract(epoch FROM clock_timestamp())
     FROM pg_stat_archiver`,
  ]);
  if (!row) throw new BackupError('pg_stat_archiver est vide', 'vérifiez que PostgreSQL 15 répond');
  const [archived = '', archivedAt = '', failed = '0', failedAt = '', current = '', now = '0'] = row;
  // The archiver's last file may be a segment's backup label (…09.00000028.backup) or a timeline
  // history file (00000003.history): only a segment name orders against the one being written.
  const wal = /^[0-9A-F]{24}/.exec(archived)?.[0] ?? '';
  const date = (epoch: string) => (epoch ? new Date(Number(epoch) * 1000) : undefined);
  // pg_walfile_name() of an LSN on a segment boundary names the previous (complete) segment.
  const pending = !wal || current > wal;
  const lastArchivedAt = date(archivedAt);
  const rpoSeconds = !pending ? 0 : lastArchivedAt ? Math.max(0, Math.round((Number(now) - lastArchivedAt.getTime() / 1000) * 10) / 10) : Number.POSITIVE_INFINITY;
  return { lastArchivedWal: archived || undefined, lastArchivedAt, failedCount: Number(failed), lastFailedAt: date(failedAt), rpoSeconds };
}

/** Where `restore` writes, and to which point. */
export interface RestoreOptions {
  /** A timestamp with time zone ("2026-11-30 14:05:00+01"); absent: the end of the archive. */
  to?: string;
  /** Restore into this folder instead of the cluster's data directory (which is left alone). */
  targetDir?: string;
  /** Read the backup from this repository only (2: off-site), e.g. when this machine's disk is lost. */
  repo?: number;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2}(?:\.\d{1,6})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)$/;

/** Normalises a restore target to "YYYY-MM-DD HH:MM:SS[.fff]+HH[:MM]" (pgBackRest and PostgreSQL read it); throws on anything else. */
export function parseTarget(value: string): string {
  const match = TIMESTAMP.exec(value.trim());
  const [, date = '', minutes = '', seconds = ':00', zone = ''] = match ?? [];
  const offset = zone === 'Z' ? '+00' : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const text = `${date} ${minutes}${seconds}${offset}`;
  const iso = `${date}T${minutes}${seconds}${offset.length === 3 ? `${offset}:00` : offset}`;
  const [year = 0, month = 0, day = 0] = date.split('-').map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!match || Number.isNaN(Date.parse(iso)) || day < 1 || day > daysInMonth) {
    throw new BackupError(`instant de restauration invalide : « ${value} »`, 'donnez date, heure et fuseau, ex. --to "2026-11-30 14:05:00+01" (ou --latest)');
  }
  return text;
}

/** True when a PostgreSQL postmaster runs on this data directory. */
export async function isClusterRunning(site: Site, dataDir: string): Promise<boolean> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Restores the cluster (or a copy in `targetDir`) to `to` or to the end of the archive. The cluster
 * must be stopped; a non-empty folder is restored in delta mode. PostgreSQL replays the WAL when it
 * next starts, then promotes itself (a new timeline).
 */
export async function restore(site: Site, options: RestoreOptions, log: Log): Promise<{ dataDir: string; seconds: number }> {
  const dataDir = options.targetDir ?? site.backup.postgres.dataDir;
  if (await isClusterRunning(site, dataDir)) {
    throw new BackupError(`PostgreSQL tourne encore sur ${dataDir}`, 'arrêtez-le d’abord : systemctl stop postgresql@15-main (ou restaurez ailleurs avec --target-dir)');
  }
  const started = performance.now();
  const args = [`--pg1-path=${dataDir}`];
  if (options.to) args.push('--type=time', `--target=${parseTarget(options.to)}`, '--target-action=promote');
  // A copy must never push WAL into the live cluster's archive.
  if (options.targetDir) args.push('--archive-mode=off');
  if (options.repo !== undefined) args.push(`--repo=${options.repo}`);
  if (!existsSync(dataDir)) {
    const { uid, gid } = await userIds(site.backup.postgres.user);
    await mkdir(dirname(dataDir), { recursive: true });
    await mkdir(dataDir, { mode: 0o700 });
    await chown(dataDir, uid, gid);
  }
  const empty = (await readdir(dataDir)).length === 0;
  if (!empty) args.push('--delta');
  log(`restauration ${options.to ? `à ${options.to}` : 'jusqu’à la fin de l’archive WAL'} dans ${dataDir}${empty ? '' : ' (delta : les fichiers identiques sont gardés)'}…`);
  await pgbackrest(site, 'restore', args, log);
  log(`  ✓ fichiers restaurés en ${secondsSince(started)} s ; PostgreSQL rejouera le WAL à son démarrage`);
  return { dataDir, seconds: secondsSince(started) };
}

/** What `status` prints: sets, archive, each repository's last success, each job's metric. */
export async function backupStatus(site: Site): Promise<string[]> {
  const lines: string[] = [];
  const info = await backupInfo(site);
  lines.push(`stanza ${site.backup.stanza} : ${info.status}`);
  for (const repo of repositories(site)) {
    const sets = info.backups.filter((backup) => backup.repo === repo.key);
    const last = (type: string) => sets.filter((backup) => backup.type === type).at(-1);
    const size = sets.reduce((sum, backup) => sum + backup.repoDelta, 0);
    const latest = sets.at(-1);
    lines.push(`dépôt ${repo.key} ${repo.name} : ${sets.length} sauvegarde(s), ${formatBytes(size)}`);
    for (const type of ['full', 'diff', 'incr']) {
      const set = last(type);
      if (set) lines.push(`  dernière ${type.padEnd(4)} : ${set.label}, terminée ${set.stop.toISOString()} (${formatBytes(set.size)} de données)`);
    }
    lines.push(`  dernier succès : ${latest ? latest.stop.toISOString() : 'jamais — lancez npm run backup -- now --type full'}`);
  }
  lines.push(`WAL archivé : ${info.archive.min ?? '—'} → ${info.archive.max ?? '—'}`);
  const archive = await archiveState(site).catch((error: Error) => error);
  if (archive instanceof Error) {
    lines.push(`archiveur PostgreSQL : illisible (${archive.message.split('\n')[0]})`);
  } else {
    lines.push(
      `archiveur PostgreSQL : dernier segment ${archive.lastArchivedWal ?? '—'} à ${archive.lastArchivedAt?.toISOString() ?? '—'}, retard ${archive.rpoSeconds} s, échecs ${archive.failedCount}${archive.lastFailedAt ? ` (dernier ${archive.lastFailedAt.toISOString()})` : ''}`,
    );
  }
  for (const job of BACKUP_JOBS) {
    const at = await lastSuccess(site, job);
    lines.push(`tâche ${job.padEnd(5)} : dernier succès ${at ? new Date(at * 1000).toISOString() : 'jamais'}`);
  }
  return lines;
}

/** "1,2 Go" style sizes for the operator. */
export function formatBytes(bytes: number): string {
  const units = ['o', 'Ko', 'Mo', 'Go', 'To'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} ${units[unit]}`;
}
