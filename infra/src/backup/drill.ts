import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Site } from '../site.js';
import { archiveState, restore } from './pgbackrest.js';
import { BackupError, pgbackrest, psql, runProgram, secondsSince, type Log } from './run.js';
import { userIds } from './users.js';

/** Row counts and content checksums of the tables the shop cannot lose. */
export interface Fingerprint {
  orders: number;
  ordersMd5: string;
  orderLines: number;
  orderLinesMd5: string;
}

/** One SELECT, so one snapshot: counts and md5 of every row's text, in primary-key order. */
export const FINGERPRINT_SQL = `SELECT (SELECT count(*) FROM orders), (SELECT coalesce(md5(string_agg(o::text, E'\\n' ORDER BY o.id)), '') FROM orders o),
  (SELECT count(*) FROM order_lines), (SELECT coalesce(md5(string_agg(l::text, E'\\n' ORDER BY l.id)), '') FROM order_lines l)`;

function toFingerprint(row: string[] | undefined): Fingerprint {
  const [orders = '0', ordersMd5 = '', orderLines = '0', orderLinesMd5 = ''] = row ?? [];
  return { orders: Number(orders), ordersMd5, orderLines: Number(orderLines), orderLinesMd5 };
}

/** What the drill measured. */
export interface DrillReport {
  /** The recovery target: the instant the source's fingerprint was taken. */
  target: string;
  source: Fingerprint;
  restored: Fingerprint;
  /** Restore start → restored cluster promoted and answering queries. */
  rtoSeconds: number;
  /** Commits a crash at the drill's start would have lost (age of the oldest WAL not yet archived). */
  rpoSeconds: number;
  /** Bytes of the restored data directory. */
  restoredBytes: number;
  amcheck: 'ok';
  totalSeconds: number;
}

/** The scratch cluster's files: data directory, config (outside the data directory, as on Debian), log. */
function scratch(site: Site) {
  const dir = site.backup.drill.dir;
  return { dir, data: join(dir, 'data'), conf: join(dir, 'drill.conf'), hba: join(dir, 'drill_hba.conf'), log: join(dir, 'postgresql.log') };
}

async function pgCtl(site: Site, args: string[]): Promise<void> {
  const result = await runProgram(join(site.backup.postgres.binDir, 'pg_ctl'), args, { user: site.backup.postgres.user });
  if (result.code !== 0) {
    // The scratch folder is removed on the way out: its log goes into the message.
    const tail = (await readFile(scratch(site).log, 'utf8').catch(() => '')).trim().split('\n').slice(-8).join('\n    ');
    throw new BackupError(`pg_ctl ${args[0] ?? ''} a échoué : ${(result.stderr || result.stdout).trim()}\n    ${tail}`, 'corrigez la cause indiquée par le journal de PostgreSQL ci-dessus puis relancez npm run backup -- drill');
  }
}

/**
 * Takes the source's fingerprint at an instant T while orders and order lines are locked against
 * writes (SHARE: readers go on, checkouts wait a fraction of a second): every write to them committed
 * before T, none after, so recovery to T must give exactly this fingerprint. Then commits once more
 * (recovery to T needs a later commit to stop at) and waits until the WAL holding T is archived.
 */
async function fingerprintAt(site: Site, log: Log): Promise<{ target: string; fingerprint: Fingerprint }> {
  const rows = await psql(site, [
    'BEGIN',
    // Queued behind a long writer, the lock request would hold every checkout back: give up instead.
    "SET LOCAL lock_timeout = '5s'",
    'LOCK TABLE orders, order_lines IN SHARE MODE',
    `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'`,
    FINGERPRINT_SQL,
    'COMMIT',
  ]);
  const target = rows[0]?.[0];
  if (!target) throw new BackupError('empreinte de la base source illisible', 'vérifiez que les tables orders et order_lines existent (npm run migrate)');
  const fingerprint = toFingerprint(rows[1]);
  log(`  source à ${target} : ${fingerprint.orders} commande(s), ${fingerprint.orderLines} ligne(s)`);
  await psql(site, ['SELECT txid_current()']);
  log('  attente de l’archivage du WAL qui contient cet instant (pgbackrest check)…');
  await pgbackrest(site, 'check', ['--log-level-console=warn']);
  return { target, fingerprint };
}

/**
 * The restore drill: restores the latest backup into a scratch data directory, replays WAL to T,
 * starts it on the drill's loopback port, compares orders and order lines with the source at T, runs
 * pg_amcheck, and removes the scratch cluster whatever happens.
 */
export async function drill(site: Site, log: Log): Promise<DrillReport> {
  const started = performance.now();
  const files = scratch(site);
  const pg = site.backup.postgres;
  const { uid, gid } = await userIds(pg.user);

  const archive = await archiveState(site);
  const rpoSeconds = archive.rpoSeconds;
  log(`1/5 RPO : ${Number.isFinite(rpoSeconds) ? `${rpoSeconds} s de commits hors de l’archive` : 'aucun WAL archivé encore'} (dernier segment archivé : ${archive.lastArchivedWal ?? '—'})`);
  if (!Number.isFinite(rpoSeconds)) throw new BackupError('aucun segment WAL n’a jamais été archivé', 'vérifiez archive_command (npm run backup -- status) puis lancez npm run backup -- init');

  log('2/5 empreinte de la source sous verrou…');
  const { target, fingerprint: source } = await fingerprintAt(site, log);

  await rm(files.dir, { recursive: true, force: true });
  await mkdir(files.data, { recursive: true, mode: 0o700 });
  await chown(files.dir, uid, gid);
  await chown(files.data, uid, gid);
  let running = false;
  try {
    log(`3/5 restauration dans ${files.data}…`);
    const restoreStarted = performance.now();
    await restore(site, { to: target, targetDir: files.data }, log);
    await writeFile(
      files.conf,
      [
        '# Written by the restore drill; removed with the scratch cluster.',
        `port = ${site.backup.drill.port}`,
        "listen_addresses = ''",
        `unix_socket_directories = '${files.dir}'`,
        `hba_file = '${files.hba}'`,
        'archive_mode = off',
        'shared_buffers = 128MB',
        'max_connections = 20',
        '# no read-only phase: recovery may then use settings smaller than the source cluster\'s',
        'hot_standby = off',
        'track_commit_timestamp = on',
        '',
      ].join('\n'),
    );
    await writeFile(files.hba, 'local all all trust\n');
    for (const path of [files.conf, files.hba]) await chown(path, uid, gid);
    await pgCtl(site, ['start', '-D', files.data, '-l', files.log, '-w', '-t', '3600', '-o', `-c config_file=${files.conf}`]);
    running = true;
    const local = { port: site.backup.drill.port, socketDir: files.dir };
    for (;;) {
      const [row] = await psql(site, ['SELECT pg_is_in_recovery()'], local).catch(() => [['t']]);
      if (row?.[0] === 'f') break;
      if (secondsSince(restoreStarted) > 3600) throw new BackupError('la récupération WAL dure plus d’une heure', `lisez ${files.log}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const rtoSeconds = secondsSince(restoreStarted);
    log(`  ✓ cluster restauré promu et joignable : RTO ${rtoSeconds} s`);

    log('4/5 vérification : comptes et sommes de contrôle, puis pg_amcheck…');
    const restored = toFingerprint((await psql(site, [FINGERPRINT_SQL], local))[0]);
    const [size] = await psql(site, ['SELECT sum(pg_database_size(datname)) FROM pg_database'], local);
    if (JSON.stringify(restored) !== JSON.stringify(source)) {
      throw new BackupError(
        `la copie restaurée diffère de la source à ${target} : source ${JSON.stringify(source)}, restaurée ${JSON.stringify(restored)}`,
        'ne vous fiez pas à ces sauvegardes : lancez npm run backup -- now --type full, puis relancez le drill ; gardez le dossier du drill pour analyse',
      );
    }
    log(`  ✓ ${restored.orders} commande(s) et ${restored.orderLines} ligne(s) identiques à la source`);
    const amcheck = await runProgram(
      join(pg.binDir, 'pg_amcheck'),
      ['--install-missing', '--heapallindexed', '-h', files.dir, '-p', String(site.backup.drill.port), '-d', site.backup.database],
      { user: pg.user },
    );
    if (amcheck.code !== 0) {
      throw new BackupError(`pg_amcheck signale une corruption : ${(amcheck.stdout + amcheck.stderr).trim().slice(0, 2000)}`, 'gardez la sauvegarde précédente, lancez une sauvegarde complète et vérifiez le disque');
    }
    log('  ✓ pg_amcheck : tables et index cohérents');
    return { target, source, restored, rtoSeconds, rpoSeconds, restoredBytes: Number(size?.[0] ?? 0), amcheck: 'ok', totalSeconds: secondsSince(started) };
  } finally {
    log('5/5 suppression du cluster de test…');
    if (running) await pgCtl(site, ['stop', '-D', files.data, '-m', 'immediate', '-w']).catch(() => undefined);
    await rm(files.dir, { recursive: true, force: true });
  }
}
