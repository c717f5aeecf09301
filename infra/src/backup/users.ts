import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BackupError } from './run.js';

const run = promisify(execFile);

/** The uid and gid of a system user (the cluster's owner). */
export async function userIds(user: string): Promise<{ uid: number; gid: number }> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch (error) {
    throw new BackupError(`utilisateur système introuvable : ${user}`, 'installez PostgreSQL 15 (il crée l’utilisateur postgres) ou corrigez site.backup.postgres.user', { cause: error });
  }
}
