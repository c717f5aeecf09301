import { join } from 'node:path';
import type { RenderedFile } from '../render.js';
import { header } from '../render.js';
import type { Site } from '../site.js';
import { pgbackrestConfigPath } from './run.js';

/** The PostgreSQL include file, merged by Debian's `include_dir = 'conf.d'` with the tuning file. */
export const POSTGRES_BACKUP_CONF = 'etc/postgresql/15/main/conf.d/backup.conf';
/** pgBackRest's main file; secrets go in conf.d/ beside it (root:postgres 0640, written by provisioning). */
export const PGBACKREST_CONF = 'etc/pgbackrest/pgbackrest.conf';

/** The backup jobs, each with its systemd service, timer and metric file. */
export const BACKUP_JOBS = ['full', 'diff', 'files', 'drill'] as const;
export type BackupJob = (typeof BACKUP_JOBS)[number];

/** The archive_command PostgreSQL runs for each finished WAL segment. */
export function archiveCommand(site: Site): string {
  return `pgbackrest --config-path=${pgbackrestConfigPath(site)} --stanza=${site.backup.stanza} archive-push %p`;
}

function renderPgbackrest(site: Site): string {
  const b = site.backup;
  const s3 = b.s3;
  const lines = [
    header('#', 'pgBackRest: the shop cluster\'s base backups and WAL archive (point-in-time recovery).').trimEnd(),
    '# Secrets (repo2-s3-key, repo2-s3-key-secret, repo2-cipher-pass) are NOT here: they live in',
    '# conf.d/secrets.conf (root:postgres 0640), written by provisioning and read by pgBackRest with this file.',
    '',
    '[global]',
    '# repo1: this machine, another disk than the data directory',
    `# from site.backup.local.path`,
      `repo1-path=${b.local.path}`,
    `# from site.backup.local.retentionFull`,
      `repo1-retention-full=${b.local.retentionFull}`,
    `# from site.backup.local.retentionDiff`,
      `repo1-retention-diff=${b.local.retentionDiff}`,
  ];
  if (s3) {
    lines.push(
      '',
      '# repo2: off-site S3-compatible storage, encrypted before it leaves the machine',
      'repo2-type=s3',
      `# from site.backup.s3.endpoint`,
      `repo2-s3-endpoint=${s3.endpoint}`,
      `# from site.backup.s3.port`,
      `repo2-storage-port=${s3.port}`,
      `# from site.backup.s3.bucket`,
      `repo2-s3-bucket=${s3.bucket}`,
      `# from site.backup.s3.region`,
      `repo2-s3-region=${s3.region}`,
      `# from site.backup.s3.uriStyle`,
      `repo2-s3-uri-style=${s3.uriStyle}`,
      `# from site.backup.s3.path`,
      `repo2-path=${s3.path}`,
      'repo2-cipher-type=aes-256-cbc',
      `# from site.backup.s3.retentionFull`,
      `repo2-retention-full=${s3.retentionFull}`,
      `# from site.backup.s3.verifyTls`,
      `repo2-storage-verify-tls=${s3.verifyTls ? 'y' : 'n'}`,
    );
    if (s3.caFile) lines.push(`# from site.backup.s3.caFile`,
      `repo2-storage-ca-file=${s3.caFile}`);
  }
  lines.push(
    '',
    '# WAL leaves through a local spool so a slow repository never blocks PostgreSQL\'s archiver',
    'archive-async=y',
    `# from site.backup.spoolPath`,
      `spool-path=${b.spoolPath}`,
    `# from site.backup.lockPath`,
      `lock-path=${b.lockPath}`,
    `# from site.backup.logPath`,
      `log-path=${b.logPath}`,
    'log-level-console=info',
    'log-level-file=detail',
    `# from site.backup.processMax`,
      `process-max=${b.processMax}`,
    'compress-type=zst',
    'compress-level=3',
    '# how long backup and check wait for a WAL segment to reach the archive: after a bulk load the',
    '# archiver has a backlog of segments to compress and push (the default 60 s failed after a 1 GB import)',
    'archive-timeout=600',
    '# a backup starts at once (immediate checkpoint) instead of waiting for the next scheduled one',
    'start-fast=y',
    '',
    '[global:restore]',
    '# a restore into a non-empty folder reuses the files whose checksum matches',
    'delta=y',
    '',
    '[global:archive-push]',
    `# from site.backup.processMax`,
      `process-max=${b.processMax}`,
    '',
    '[global:archive-get]',
    `# from site.backup.processMax`,
      `process-max=${b.processMax}`,
    '',
    '# the stanza: site.backup.stanza',
    `[${b.stanza}]`,
    `# from site.backup.postgres.dataDir`,
      `pg1-path=${b.postgres.dataDir}`,
    `# from site.backup.postgres.port`,
      `pg1-port=${b.postgres.port}`,
    `# from site.backup.postgres.socketDir`,
      `pg1-socket-path=${b.postgres.socketDir}`,
    '',
  );
  return lines.join('\n');
}

function renderPostgresBackupConf(site: Site): string {
  return [
    header('#', 'PostgreSQL WAL archiving through pgBackRest (include file, merged with the tuning in conf.d/).').trimEnd(),
    'wal_level = replica # needed for archiving',
    'archive_mode = on',
    `archive_command = '${archiveCommand(site)}' # site.paths.etc + /pgbackrest, site.backup.stanza`,
    `archive_timeout = ${site.backup.archiveTimeoutSeconds} # site.backup.archiveTimeoutSeconds: a quiet shop still ships its last commits within this`,
    '# commit times are kept so a restore target can be chosen exactly (pg_xact_commit_timestamp(xmin))',
    'track_commit_timestamp = on',
    '',
  ].join('\n');
}

const DESCRIPTIONS: Record<BackupJob, string> = {
  full: 'full pgBackRest backup of PostgreSQL (every repository)',
  diff: 'differential pgBackRest backup of PostgreSQL (every repository)',
  files: 'Borg backup of uploads, configs, secrets and Redis data',
  drill: 'restore drill: restore the latest backup to a scratch cluster, verify, measure RTO and RPO',
};

const ARGS: Record<BackupJob, string> = { full: 'now --type full', diff: 'now --type diff', files: 'files', drill: 'drill' };

function renderUnits(site: Site): RenderedFile[] {
  return BACKUP_JOBS.flatMap((job) => {
    const name = `girlycrea-backup-${job}`;
    const service = [
      header('#', `systemd service: ${DESCRIPTIONS[job]}.`).trimEnd(),
      '[Unit]',
      `Description=GirlyCrea ${DESCRIPTIONS[job]}`,
      'After=postgresql.service network-online.target',
      'Wants=network-online.target',
      '',
      '[Service]',
      'Type=oneshot',
      '# root: pgBackRest and psql drop to the cluster user themselves; Borg reads the root-only secrets',
      `# from site.paths.app`,
      `WorkingDirectory=${site.paths.app}`,
      `ExecStart=/usr/bin/npm run --silent backup -- ${ARGS[job]}`,
      'Nice=10',
      'IOSchedulingClass=best-effort',
      'IOSchedulingPriority=7',
      '',
    ].join('\n');
    const timer = [
      header('#', `systemd timer: ${DESCRIPTIONS[job]}.`).trimEnd(),
      '[Unit]',
      `Description=Schedule of ${name}`,
      '',
      '[Timer]',
      `# from site.backup.schedule.${job}`,
      `OnCalendar=${site.backup.schedule[job]}`,
      '# a run missed while the machine was off starts at boot',
      'Persistent=true',
      'RandomizedDelaySec=300',
      '',
      '[Install]',
      'WantedBy=timers.target',
      '',
    ].join('\n');
    return [
      { path: `etc/systemd/system/${name}.service`, content: service },
      { path: `etc/systemd/system/${name}.timer`, content: timer },
    ];
  });
}

/** pgBackRest's config, PostgreSQL's archiving include file, and the systemd units of every backup job. */
export function renderBackup(site: Site): RenderedFile[] {
  return [
    { path: PGBACKREST_CONF, content: renderPgbackrest(site), mode: 0o640 },
    { path: POSTGRES_BACKUP_CONF, content: renderPostgresBackupConf(site) },
    ...renderUnits(site),
  ];
}

/** Where a rendered file lands on the machine (site.paths.etc replaces the leading `etc/`). */
export function installedPath(site: Site, renderedPath: string): string {
  return join(site.paths.etc, renderedPath.replace(/^etc\//, ''));
}
