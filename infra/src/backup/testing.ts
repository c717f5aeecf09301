import { chown, mkdir, rm, writeFile, appendFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renderAll, writeRendered } from '../render.js';
import type { Site } from '../site.js';
import { installedPath, PGBACKREST_CONF, POSTGRES_BACKUP_CONF } from './render.js';
import { BackupError, psql, runProgram } from './run.js';
import { userIds } from './users.js';

/**
 * For tests and the drill bench: a PostgreSQL 15 cluster of the site's own (site.backup.postgres,
 * under a temporary folder), configured like the VPS's by including the rendered backup.conf.
 */
export interface TestCluster {
  /** postgres://… over loopback TCP to the site's database. */
  url: string;
  start(): Promise<void>;
  /** `immediate` is a crash: nothing is flushed or archived on the way down. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Removes the data directory (the disk is lost). */
  destroy(): Promise<void>;
}

/** Renders every file of the site under `root` (= site.paths.etc's parent) with the owners the VPS gives them. */
export async function installRendered(site: Site, root: string): Promise<void> {
  await writeRendered(root, renderAll(site));
  const { gid } = await userIds(site.backup.postgres.user);
  // root:postgres 0640 on the VPS: pgBackRest runs as postgres and reads it.
  await chown(installedPath(site, PGBACKREST_CONF), 0, gid);
  await mkdir(join(dirname(installedPath(site, PGBACKREST_CONF)), 'conf.d'), { recursive: true });
}

async function pgCtl(site: Site, args: string[], logFile: string): Promise<void> {
  const pg = site.backup.postgres;
  const result = await runProgram(join(pg.binDir, 'pg_ctl'), [...args, '-D', pg.dataDir, '-l', logFile, '-w', '-t', '600'], { user: pg.user });
  if (result.code !== 0) throw new BackupError(`pg_ctl ${args.join(' ')} : ${(result.stderr || result.stdout).trim()}`, `lisez ${logFile}`);
}

/** initdb's the site's cluster, includes the rendered archive settings, starts it and creates the site's database. */
export async function createTestCluster(site: Site): Promise<TestCluster> {
  const pg = site.backup.postgres;
  const { uid, gid } = await userIds(pg.user);
  const base = dirname(pg.dataDir);
  const logFile = join(base, 'postgresql.log');
  for (const dir of [base, pg.socketDir]) {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    await chown(dir, uid, gid);
  }
  const init = await runProgram(join(pg.binDir, 'initdb'), ['-D', pg.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8'], { user: pg.user });
  if (init.code !== 0) throw new Error(`initdb : ${init.stderr}`);
  await appendFile(
    join(pg.dataDir, 'postgresql.conf'),
    [
      '',
      '# test cluster: loopback and a private socket folder only',
      `port = ${pg.port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${pg.socketDir}'`,
      'shared_buffers = 64MB',
      'max_connections = 30',
      `include '${installedPath(site, POSTGRES_BACKUP_CONF)}'`,
      '',
    ].join('\n'),
  );
  await writeFile(logFile, '');
  await chown(logFile, uid, gid);
  const cluster: TestCluster = {
    url: `postgres://postgres@127.0.0.1:${pg.port}/${site.backup.database}`,
    start: () => pgCtl(site, ['start'], logFile),
    stop: (mode = 'fast') => pgCtl(site, ['stop', '-m', mode], logFile),
    destroy: () => rm(pg.dataDir, { recursive: true, force: true }),
  };
  await cluster.start();
  await psql(site, [`CREATE DATABASE ${site.backup.database}`], { database: 'postgres' });
  return cluster;
}
