import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runFiles } from '../pm2/ecosystem.js';
import type { Site } from '../site.js';
import { capture } from './exec.js';

const require = createRequire(import.meta.url);
/** PM2's CLI, from node_modules. */
export const PM2_BIN = require.resolve('pm2/bin/pm2');

/** The environment PM2's CLI needs to reach this site's daemon. */
export function pm2Env(site: Site, env: Record<string, string>): Record<string, string> {
  return { ...env, PM2_HOME: runFiles(site).pm2Home };
}

/** One PM2 process as `pm2 jlist` describes it. */
export interface Pm2Process {
  name: string;
  pid: number;
  pm2_env?: { status?: string; restart_time?: number; NODE_APP_INSTANCE?: number };
}

/** Whether this site's PM2 daemon is running (asking PM2's CLI would start one). */
export async function pm2Running(site: Site): Promise<boolean> {
  const pid = Number(await readFile(join(runFiles(site).pm2Home, 'pm2.pid'), 'utf8').catch(() => '0'));
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The processes PM2 runs for this site; empty when its daemon is not running. */
export async function pm2List(site: Site, env: Record<string, string>): Promise<Pm2Process[]> {
  if (!(await pm2Running(site))) return [];
  const { code, stdout } = await capture(process.execPath, [PM2_BIN, 'jlist'], { env: pm2Env(site, env), check: false });
  if (code !== 0) return [];
  // PM2 may print lines ("[PM2] Spawning PM2 daemon…") before the JSON array.
  const json = /^\[(\{|\])[\s\S]*$/m.exec(stdout)?.[0];
  return json ? (JSON.parse(json) as Pm2Process[]) : [];
}
