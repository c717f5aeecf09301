import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { waitForPort } from '@girlycrea/testkit';

/** Repository paths the harness runs things from. */
export const PATHS = {
  // The API's process entry as PM2 runs it (telemetry first, then src/main.ts).
  apiEntry: fileURLToPath(new URL('../../../apps/api/src/entry.ts', import.meta.url)),
  web: fileURLToPath(new URL('../../../apps/web/', import.meta.url)),
  root: fileURLToPath(new URL('../../../', import.meta.url)),
};

const NEXT_BIN = createRequire(`${PATHS.web}package.json`).resolve('next/dist/bin/next');

/** A child process the tests can stop and start again with the same settings. */
export interface Service {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Everything it printed so far (for failure messages). */
  output(): string;
}

// What the children inherit from the runner (just PATH), set once by the test file, which may read the environment.
let inherited: Record<string, string> = {};

/** Sets the variables every child inherits from the runner. */
export function inheritEnv(env: Record<string, string>): void {
  inherited = env;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function track(child: ChildProcess, log: { text: string }): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  // Keep the last 64 KiB: enough to explain a failure, bounded for long runs.
  const append = (chunk: Buffer) => (log.text = (log.text + chunk.toString()).slice(-65_536));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return child;
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** The API's real process entry, as PM2 runs it, ready once it sends 'ready' over IPC. */
export function apiService(env: Record<string, string>): Service {
  const log = { text: '' };
  let child: ChildProcess | undefined;
  return {
    async start() {
      const started = track(
        fork(PATHS.apiEntry, [], {
          execArgv: ['--import', 'tsx', '--conditions=development'],
          env: { ...inherited, ...env },
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        }),
        log,
      );
      child = started;
      await new Promise<void>((resolve, reject) => {
        started.once('message', () => resolve());
        started.once('exit', (code) => reject(new Error(`l'API s'est arrêtée (code ${code}) :\n${log.text}`)));
      });
    },
    stop: () => stopChild(child),
    output: () => log.text,
  };
}

/** Runs `next build` once; rewrites to the API are baked into the build, hence `API_ORIGIN` here. */
export async function buildWeb(env: Record<string, string>): Promise<void> {
  const log = { text: '' };
  const child = track(spawn(process.execPath, [NEXT_BIN, 'build'], { cwd: PATHS.web, env: { ...inherited, NEXT_TELEMETRY_DISABLED: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }), log);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`next build a échoué (code ${code}) :\n${log.text}`);
}

/** `next start` on a loopback port, ready once the home page answers. */
export function webService(port: number, env: Record<string, string>): Service {
  const log = { text: '' };
  let child: ChildProcess | undefined;
  return {
    async start() {
      child = track(
        spawn(process.execPath, [NEXT_BIN, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
          cwd: PATHS.web,
          env: { ...inherited, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
        log,
      );
      await waitForPort(port, 30_000);
    },
    stop: () => stopChild(child),
    output: () => log.text,
  };
}

/** `next dev`, as `npm run dev` runs it (every interface), ready once the port accepts connections. */
export function devWebService(port: number, env: Record<string, string>): Service {
  const log = { text: '' };
  let child: ChildProcess | undefined;
  return {
    async start() {
      child = track(
        spawn(process.execPath, [NEXT_BIN, 'dev', '--port', String(port)], {
          cwd: PATHS.web,
          env: { ...inherited, NEXT_TELEMETRY_DISABLED: '1', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
        log,
      );
      await waitForPort(port, 120_000);
    },
    stop: () => stopChild(child),
    output: () => log.text,
  };
}

/** Runs a command to its end from the repository root; resolves with its exit code and output. */
export async function runCommand(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const log = { text: '' };
  const child = track(spawn(command, args, { cwd: PATHS.root, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }), log);
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output: log.text };
}

/** `npm run admin:create` with the password on stdin, as a developer makes the owner's account. */
export async function createAdmin(account: { email: string; name: string; password: string }, env: Record<string, string>): Promise<void> {
  const child = spawn('npm', ['run', '--silent', 'admin:create', '--', '--email', account.email, '--name', account.name], {
    cwd: PATHS.root,
    env: { ...inherited, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(`${account.password}\n`);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`npm run admin:create a échoué (code ${code}) :\n${output}`);
}
