import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Site } from '../site.js';

/** A backup step that failed, with what the operator should do next (French, shown by the CLI). */
export class BackupError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    options?: ErrorOptions,
  ) {
    super(`${message}\n  → ${hint}`, options);
    this.name = 'BackupError';
  }
}

/** Receives one progress line (French). */
export type Log = (line: string) => void;

/** What a finished program printed. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

// A program given its own variables gets only these besides them: the app's secrets never leak into it.
const TOOL_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };

/**
 * Runs a program, as `user` when we are root and `user` is given (runuser; PostgreSQL and pgBackRest
 * refuse root), otherwise as ourselves. `onLine` receives stdout and stderr lines as they come.
 */
export async function runProgram(
  command: string,
  args: string[],
  options: { user?: string; env?: Record<string, string>; onLine?: (line: string) => void; input?: string; cwd?: string } = {},
): Promise<RunResult> {
  const asOther = options.user !== undefined && process.getuid?.() === 0 && options.user !== 'root';
  const [file, argv] = asOther ? ['runuser', ['-u', options.user ?? '', '--', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env ? { ...TOOL_ENV, ...options.env } : undefined, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const feed = (chunk: string) => {
      if (!options.onLine) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) options.onLine(line);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), feed(chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), feed(chunk)));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new BackupError(`programme introuvable : ${file}`, `installez-le (Debian : apt-get install -y ${packageOf(file)})`) : error),
    );
    child.once('close', (code) => {
      if (pending.trim()) options.onLine?.(pending);
      resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

function packageOf(file: string): string {
  if (file.includes('pgbackrest')) return 'pgbackrest';
  if (file.includes('borg')) return 'borgbackup';
  if (file.includes('runuser')) return 'util-linux';
  return 'postgresql-15';
}

/** The folder holding pgbackrest.conf and conf.d/ (its secrets), as installed from the render. */
export function pgbackrestConfigPath(site: Site): string {
  return join(site.paths.etc, 'pgbackrest');
}

/** `pgbackrest --config-path=… --stanza=… <command> <args>` as the cluster's user; throws on a non-zero exit. */
export async function pgbackrest(site: Site, command: string, args: string[] = [], log?: Log): Promise<string> {
  const result = await runProgram(
    'pgbackrest',
    [`--config-path=${pgbackrestConfigPath(site)}`, `--stanza=${site.backup.stanza}`, ...args, command],
    { user: site.backup.postgres.user, onLine: log ? (line) => log(`    ${line.replace(/^\S+ \S+ +P\d+ +/, '')}`) : undefined },
  );
  if (result.code !== 0) {
    const reason = lastError(result.stdout + result.stderr) ?? `code de sortie ${result.code}`;
    throw new BackupError(`pgbackrest ${command} a échoué : ${reason}`, hintFor(command, reason, site));
  }
  return result.stdout;
}

function lastError(output: string): string | undefined {
  const errors = output.split('\n').filter((line) => /ERROR: \[\d+\]/.test(line));
  return errors.at(-1)?.replace(/^.*?ERROR: /, '').trim();
}

function hintFor(command: string, reason: string, site: Site): string {
  const log = site.backup.logPath;
  if (/\[055\]|unable to open missing file|does not exist/i.test(reason) && /stanza/i.test(reason)) {
    return `créez d’abord le stanza : npm run backup -- init (journal : ${log})`;
  }
  if (/\[082\]|WAL segment .* was not archived/i.test(reason)) {
    return `l’archivage WAL ne suit pas : vérifiez archive_command (npm run backup -- status) et ${log}/${site.backup.stanza}-archive-push-async.log`;
  }
  if (/\[050\]|lock/i.test(reason)) return 'une autre commande pgBackRest tourne : attendez qu’elle finisse puis relancez';
  if (/\[075\]|no backup set/i.test(reason)) return 'aucune sauvegarde utilisable : lancez npm run backup -- now --type full';
  if (/Permission denied/.test(reason)) return `droits insuffisants : ce dossier doit appartenir à ${site.backup.postgres.user} (chown -R ${site.backup.postgres.user}: …) et ses parents lui être traversables`;
  if (/\[(039|049|095|104)\]|HostConnect|TLS|certificate/.test(reason)) return 'le dépôt distant est injoignable : vérifiez le réseau, les clés dans /etc/pgbackrest/conf.d et le point d’accès S3';
  return `lisez le journal ${log}/${site.backup.stanza}-${command}.log, corrigez puis relancez`;
}

/** Runs SQL through psql on the cluster's Unix socket as its user; returns unaligned, tab-separated rows. */
export async function psql(
  site: Site,
  statements: string[],
  options: { port?: number; socketDir?: string; database?: string } = {},
): Promise<string[][]> {
  const pg = site.backup.postgres;
  const args = ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-h', options.socketDir ?? pg.socketDir, '-p', String(options.port ?? pg.port)];
  args.push('-d', options.database ?? site.backup.database);
  for (const statement of statements) args.push('-c', statement);
  const result = await runProgram(join(pg.binDir, 'psql'), args, { user: pg.user });
  if (result.code !== 0) {
    throw new BackupError(`requête PostgreSQL en échec : ${result.stderr.trim() || `code ${result.code}`}`, `vérifiez que PostgreSQL répond (${options.socketDir ?? pg.socketDir}, port ${options.port ?? pg.port}) et que la base ${options.database ?? site.backup.database} existe`);
  }
  return result.stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t'));
}

/** Seconds elapsed since `started` (performance.now()), rounded to 0.1 s. */
export function secondsSince(started: number): number {
  return Math.round((performance.now() - started) / 100) / 10;
}
