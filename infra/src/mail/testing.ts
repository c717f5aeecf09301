import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { eventually, serviceProcess, waitForPort, type ServiceProcess } from '@girlycrea/testkit';
import { REPO_ROOT } from '../paths.js';
import type { Site } from '../site.js';
import { mailFiles } from './files.js';

const run = promisify(execFile);
const sbin = (name: string) => (existsSync(`/usr/sbin/${name}`) ? `/usr/sbin/${name}` : name);

/** The site's Postfix, started from its rendered config directory (`postfix -c`), with its own queue. */
export interface PostfixInstance {
  start(): Promise<void>;
  /** `postfix stop`: the listener closes, the queue stays on disk. */
  stop(): Promise<void>;
  /** What `mailq` prints for this instance. */
  mailq(): Promise<string>;
  /** Postfix's log so far (site.mail.logFile). */
  log(): Promise<string>;
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** A Postfix instance for a test site: `start` creates the queue, `stop` leaves it; stopped at process exit. */
export function postfixInstance(site: Site): PostfixInstance {
  const configDir = mailFiles(site).postfixDir;
  const postfix = (command: string) => run(sbin('postfix'), ['-c', configDir, command], { timeout: 60_000 });
  let running = false;
  process.once('exit', () => {
    if (running) execFileSync(sbin('postfix'), ['-c', configDir, 'stop'], { stdio: 'ignore' });
  });
  return {
    async start() {
      // Postfix makes the queue's subfolders and the data folder (owned by postfix) itself.
      await mkdir(site.mail.queueDirectory, { recursive: true, mode: 0o755 });
      await postfix('start');
      running = true;
      await waitForPort(site.mail.port, 20_000);
    },
    async stop() {
      await postfix('stop');
      running = false;
      await eventually(async () => !(await portOpen(site.mail.port)), 20_000);
    },
    async mailq() {
      const { stdout } = await run(sbin('postqueue'), ['-c', configDir, '-p']).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      return stdout;
    },
    async log() {
      return readFile(site.mail.logFile, 'utf8').catch(() => '');
    },
  };
}

/** The site's OpenDKIM in the foreground (`-f`) from its rendered opendkim.conf. */
export function opendkimInstance(site: Site): ServiceProcess {
  return serviceProcess(sbin('opendkim'), ['-f', '-x', mailFiles(site).opendkimConf], site.mail.dkimPort);
}

/**
 * A temporary folder for a mail test. Not under /tmp: OpenDKIM refuses (tempfails every message) a
 * key with a world-writable folder on its path, as /tmp is; /run is root's and 0755.
 */
export async function mailTempDir(): Promise<string> {
  return mkdtemp('/run/gc-mail-');
}

/**
 * The bounce handler (packages/mailer/src/cli/bounce.ts) bundled into one file in `dir`, as the VPS
 * runs its compiled form: pipe(8) runs it as an unprivileged user, who may not be able to read the
 * checkout the tests run from.
 */
export async function bundleBounceHandler(dir: string): Promise<string> {
  const outfile = join(dir, 'bounce-handler.mjs');
  await build({
    entryPoints: [join(REPO_ROOT, 'packages/mailer/src/cli/bounce.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    conditions: ['development'],
    external: ['pg-native'],
    // Some bundled dependencies are CommonJS and call require().
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}
