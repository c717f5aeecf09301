import { spawn } from 'node:child_process';

/** Options of a child command. */
export interface ExecOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Reject on a non-zero exit (default true). */
  check?: boolean;
}

/** Runs a command, its output shown indented as it comes (progress for the operator); rejects with its tail on failure. */
export async function run(command: string, args: string[], options: ExecOptions = {}): Promise<void> {
  const result = await spawnCommand(command, args, options, (chunk) => process.stdout.write(indent(chunk)));
  if (result.code !== 0 && options.check !== false) throw commandError(command, args, result);
}

/** Runs a command quietly and returns its output. */
export async function capture(command: string, args: string[], options: ExecOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await spawnCommand(command, args, options);
  if (result.code !== 0 && options.check !== false) throw commandError(command, args, result);
  return result;
}

function indent(chunk: string): string {
  return chunk.replace(/^(?=.)/gm, '    ');
}

function commandError(command: string, args: string[], result: { code: number; stdout: string; stderr: string }): Error {
  const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
  return new Error(`\`${[command, ...args].join(' ')}\` a échoué (code ${result.code})${tail ? `:\n${tail}` : ''}`);
}

async function spawnCommand(
  command: string,
  args: string[],
  options: ExecOptions,
  onOutput?: (chunk: string) => void,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      onOutput?.(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      onOutput?.(chunk);
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
