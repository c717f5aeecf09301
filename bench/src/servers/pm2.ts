import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { freePort } from '@girlycrea/testkit';
import type { Cleanup } from '../cleanup.js';
import { BENCH_DIR, ROOT } from '../paths.js';
import { childEnv, run, waitForHttp } from '../process.js';
import { API_ENTRY, apiEnv, type ApiBackends } from './api.js';

const APP_NAME = 'gc-bench-api';

interface Pm2Process {
  name: string;
  pid: number;
  pm2_env?: { status?: string };
}

/** A PM2 cluster of the API: its shared origin and the worker pids. */
export interface Pm2Cluster {
  origin: string;
  workerPids: number[];
  stop: () => Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts the API as a PM2 cluster of `instances` (wait_ready) with its own PM2_HOME; `pm2 kill` at cleanup. */
export async function startPm2Cluster(cleanup: Cleanup, backends: ApiBackends, tempDir: string, nodeArgs: string[] = [], instances = 2): Promise<Pm2Cluster> {
  const pm2 = createRequire(join(BENCH_DIR, 'package.json')).resolve('pm2/bin/pm2');
  const home = join(tempDir, 'pm2');
  const env = childEnv({ PM2_HOME: home });
  const port = await freePort();
  const ecosystem = join(tempDir, 'ecosystem.json');
  await writeFile(
    ecosystem,
    JSON.stringify({
      apps: [
        {
          name: APP_NAME,
          script: API_ENTRY,
          cwd: ROOT,
          exec_mode: 'cluster',
          node_args: nodeArgs,
          instances,
          wait_ready: true,
          listen_timeout: 15_000,
          kill_timeout: 12_000,
          autorestart: false,
          env: apiEnv(backends, port),
        },
      ],
    }),
  );
  let workerPids: number[] = [];
  const stop = cleanup.defer('cluster PM2', async () => {
    await run(process.execPath, [pm2, 'kill'], { cwd: tempDir, env }).catch(() => undefined);
    const daemon = Number(await readFile(join(home, 'pm2.pid'), 'utf8').catch(() => '0'));
    for (const pid of [...workerPids, daemon]) if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
  });
  await run(process.execPath, [pm2, 'start', ecosystem], { cwd: tempDir, env });
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(`${origin}/api/health`, undefined, 30_000);
  const list = JSON.parse(await run(process.execPath, [pm2, 'jlist'], { cwd: tempDir, env })) as Pm2Process[];
  workerPids = list.filter((proc) => proc.name === APP_NAME && proc.pm2_env?.status === 'online').map((proc) => proc.pid);
  if (workerPids.length !== instances) {
    throw new Error(`PM2 annonce ${workerPids.length} worker(s) en ligne sur ${instances} (voir ${home}/logs)`);
  }
  return { origin, workerPids, stop };
}
