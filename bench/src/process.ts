import { spawn, type ChildProcess } from 'node:child_process';

const TAIL_LINES = 40;
const alive = new Set<ChildProcess>();
// Last resort if the bench dies without its cleanup: never leave a server behind.
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

function keepTail(child: ChildProcess, tail: string[], echo: boolean): void {
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    if (echo) process.stdout.write(text);
    tail.push(...text.split('\n').filter((line) => line.trim() !== ''));
    tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
}

/** Environment for a child: the bench's PATH and HOME plus `env`, nothing else inherited by accident. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env };
}

/** Runs a command to completion and returns its stdout; throws with its last output lines when it fails. */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; echo?: boolean } = { cwd: process.cwd() },
): Promise<string> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  alive.add(child);
  const tail: string[] = [];
  keepTail(child, tail, options.echo ?? false);
  const stdout: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  }).finally(() => alive.delete(child));
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} a échoué (code ${code}) :\n    ${tail.join('\n    ')}`);
  return Buffer.concat(stdout).toString();
}

/** A long-running child process started by the bench. */
export interface Service {
  name: string;
  pid: number;
  /** Its last output lines, for error messages. */
  tail(): string;
  /** Whether it has exited. */
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts a long-running child process whose output is kept for error messages. */
export function startService(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Service {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name} n'a pas pu démarrer (${command})`);
  alive.add(child);
  const tail: string[] = [];
  keepTail(child, tail, false);
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve())).finally(() => alive.delete(child));
  return {
    name,
    pid: child.pid,
    tail: () => tail.join('\n'),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 2xx; throws (with the service's output) if it exits or `timeoutMs` passes. */
export async function waitForHttp(url: string, service: Service | undefined, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'pas de réponse';
  while (Date.now() < deadline) {
    if (service?.exited()) throw new Error(`${service.name} s'est arrêté au démarrage :\n    ${service.tail().replaceAll('\n', '\n    ')}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const output = service ? `\n    ${service.tail().replaceAll('\n', '\n    ')}` : '';
  throw new Error(`${url} ne répond pas après ${timeoutMs / 1000} s (${last})${output}`);
}
