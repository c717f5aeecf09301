import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from '@girlycrea/testkit';
import pg from 'pg';

/** A throwaway PostgreSQL 15 cluster on a loopback port (data under a temp folder), stopped by the test. */
export interface PostgresCluster {
  port: number;
  /** A superuser URL to `database` on this cluster. */
  url(database?: string): string;
  stop(): Promise<void>;
}

const BIN = '/usr/lib/postgresql/15/bin';

function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Runs `initdb` (trust auth, superuser `postgres`) in a temp folder and starts `postgres` on a free
 * loopback port with `settings` (e.g. wal_level=logical). As root, both run as the postgres user.
 */
export async function startPostgresCluster(settings: Record<string, string> = {}): Promise<PostgresCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'gc-legacy-pg-'));
  const data = join(dir, 'data');
  const ids = process.getuid?.() === 0 ? postgresIds() : undefined;
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const as = ids ? { uid: ids.uid, gid: ids.gid } : {};
  execFileSync(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], { ...as, stdio: 'ignore' });
  const port = await freePort();
  const options = {
    port: String(port),
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: '64MB',
    max_connections: '30',
    ...settings,
  };
  const args = ['-D', data, ...Object.entries(options).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  let output = '';
  const child: ChildProcess = spawn(join(BIN, 'postgres'), args, { ...as, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  try {
    await waitForPort(port, 20_000);
    // The port opens before the cluster accepts logins: wait for a real query.
    for (let attempt = 0; ; attempt += 1) {
      const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
      try {
        await client.connect();
        await client.query('SELECT 1');
        break;
      } catch (error) {
        if (attempt > 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  } catch (error) {
    kill();
    throw new Error(`le cluster PostgreSQL de test n'a pas démarré : ${output}`, { cause: error });
  }
  return {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async stop() {
      process.off('exit', kill);
      if (child.exitCode === null) {
        // Fast shutdown: the postmaster ends its backends and walsenders, then exits.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => (clearTimeout(timer), resolve()));
          child.kill('SIGINT');
        });
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
