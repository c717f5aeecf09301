import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chown } from 'node:fs/promises';
import { waitForPort } from '@girlycrea/testkit';

/** The uid and gid of a system account (postgres, redis…); throws naming it when absent. */
export function systemUser(name: string): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch (error) {
    throw new Error(`l'utilisateur système ${name} est introuvable (créé par son paquet Debian)`, { cause: error });
  }
}

/** Gives `paths` to a system account (as root; a no-op otherwise, when the tests run unprivileged). */
export async function chownTo(user: string, ...paths: string[]): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const { uid, gid } = systemUser(user);
  for (const path of paths) await chown(path, uid, gid);
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A server process the tests started: its pid (for `ss`), its output so far, and how to stop it. */
export interface StartedServer {
  pid: number;
  output(): string;
  /** Sends `signal` (default SIGTERM; PostgreSQL's fast shutdown is SIGINT), SIGKILL after 10 s; resolves once it exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `command args` (as `user` when running as root), resolves once `port` accepts connections,
 * and rejects with the server's own output if it exits first.
 */
export async function startServer(command: string, args: string[], options: { port: number; user?: string; timeoutMs?: number }): Promise<StartedServer> {
  const ids = options.user && process.getuid?.() === 0 ? systemUser(options.user) : {};
  const child: ChildProcess = spawn(command, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`${command} s'est arrêté (${code ?? signal}) :\n${output}`)));
    child.once('error', reject);
  });
  exited.catch(() => undefined);
  running.add(child);
  child.once('exit', () => running.delete(child));
  await Promise.race([waitForPort(options.port, options.timeoutMs ?? 30_000), exited]);
  return {
    pid: child.pid as number,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion (as `user` when root), feeding `input` on stdin; throws with its output on failure. */
export function run(command: string, args: string[], options: { user?: string; input?: string; cwd?: string } = {}): string {
  const ids = options.user && process.getuid?.() === 0 ? systemUser(options.user) : {};
  try {
    return execFileSync(command, args, { ...ids, cwd: options.cwd, input: options.input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} a échoué :\n${failed.stderr || failed.stdout || failed.message}`, { cause: error });
  }
}
