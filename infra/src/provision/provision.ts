import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REDIS_INSTANCES, redisInstance } from '../redis/render.js';
import { renderAll } from '../render.js';
import { ensureSecrets, readEnv, rolePasswordsSql, secretFiles } from '../secrets.js';
import { tlsFiles, type Site } from '../site.js';
import { systemUser } from '../system.js';
import { SWAP_BELOW_RAM_MB } from './system-files.js';

/** Debian packages of the VPS (PostgreSQL 15's contrib extensions ship in postgresql-15). */
export const PACKAGES = [
  'postgresql-15',
  'pgbouncer',
  'redis-server',
  'nginx',
  'libnginx-mod-http-brotli-filter',
  'certbot',
  'nftables',
  'fail2ban',
  'python3-systemd',
  'unattended-upgrades',
  'systemd-timesyncd',
  'git',
  'openssl',
];

/** The oldest Node the shop runs on (package.json engines). */
export const MIN_NODE = [20, 19] as const;

export interface ProvisionOptions {
  site: Site;
  /** Print every file diff and command; change nothing. */
  dryRun: boolean;
  /** Write files under this folder instead of `/` (packages are still installed for real; system commands are listed, not run). */
  root?: string;
  out: (line: string) => void;
}

/** What a run did (or, with --dry-run, would do). */
export interface ProvisionSummary {
  files: string[];
  commands: string[];
  /** System commands listed but not run because of --root. */
  skipped: string[];
}

interface FileStep {
  kind: 'file';
  /** Path on the VPS. */
  path: string;
  content: string;
  mode: number;
  owner?: string;
  secret: boolean;
}
interface DirStep {
  kind: 'dir';
  path: string;
  owner: string;
}
interface CommandStep {
  kind: 'command';
  argv: string[];
  /** Changes the running system (services, users, firewall, database): not run with --root. */
  system: boolean;
  /** Sent on stdin and never printed (passwords). */
  input?: string;
  why: string;
}
type Step = FileStep | DirStep | CommandStep;

/** Refuses anything but Debian 12 and (for a real run) root; checks Node. */
export function assertPlatform(dryRun: boolean, osRelease = '/etc/os-release'): void {
  const release = existsSync(osRelease) ? readFileSync(osRelease, 'utf8') : '';
  const field = (name: string) => new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm').exec(release)?.[1];
  if (field('ID') !== 'debian' || field('VERSION_ID') !== '12') {
    throw new Error(`le provisioning ne fonctionne que sur Debian 12 (cette machine : ${field('PRETTY_NAME') ?? 'inconnue'}).`);
  }
  if (!dryRun && process.getuid?.() !== 0) throw new Error('lancez le provisioning en root : sudo npm run infra -- provision (ou --dry-run pour voir le plan).');
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    throw new Error(
      `Node ${process.versions.node} est trop ancien (il faut ≥ ${MIN_NODE.join('.')}). Installez Node 20 LTS :\n` +
        '  curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs',
    );
  }
}

const quiet = (command: string, args: string[]): string | undefined => {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};

function missingPackages(): string[] {
  return PACKAGES.filter((name) => quiet('dpkg-query', ['-W', '-f=${Status}', name]) !== 'install ok installed');
}

async function current(target: string): Promise<{ content: string; mode: number } | undefined> {
  try {
    const [content, info] = await Promise.all([readFile(target, 'utf8'), stat(target)]);
    return { content, mode: info.mode & 0o7777 };
  } catch {
    return undefined;
  }
}

function unifiedDiff(path: string, before: string, after: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gc-diff-'));
  try {
    writeFileSync(join(dir, 'a'), before);
    writeFileSync(join(dir, 'b'), after);
    try {
      execFileSync('diff', ['-u', '--label', `${path} (actuel)`, '--label', `${path} (nouveau)`, join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
      return '';
    } catch (error) {
      return (error as { stdout?: string }).stdout ?? '';
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A command line as one would type it (arguments with spaces or quotes single-quoted). */
function shellWords(argv: string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ');
}

/**
 * Brings the VPS to what the site file describes, idempotently: packages, the system user and its
 * folders, a swap file on small machines, every rendered config and the secret files, then only the
 * commands those changes call for (restart PostgreSQL, roles, PgBouncer, both Redis, Nginx after a
 * certificate, nftables, fail2ban, time sync, the PM2 unit). A second run changes nothing.
 */
export async function provision(options: ProvisionOptions): Promise<ProvisionSummary> {
  const { site, dryRun, out } = options;
  const root = options.root ?? '/';
  const on = (path: string) => join(root, path);
  const summary: ProvisionSummary = { files: [], commands: [], skipped: [] };
  const user = site.system.user;

  // What is there now decides what to do.
  const envText = (await current(on(site.paths.secrets)))?.content ?? '';
  const { secrets, generated } = ensureSecrets(readEnv(envText));
  const rendered = renderAll(site).map((file) => ({ ...file, path: `/${file.path}` }));
  const files: FileStep[] = [
    ...rendered.map((file) => ({ kind: 'file' as const, path: file.path, content: file.content, mode: file.mode ?? 0o644, owner: file.owner, secret: false })),
    ...secretFiles(site, secrets, envText).map((file) => ({ kind: 'file' as const, path: file.path, content: file.content, mode: file.mode, owner: file.owner, secret: true })),
  ];
  const changed = new Set<string>();
  for (const file of files) {
    const now = await current(on(file.path));
    if (!now || now.content !== file.content || now.mode !== file.mode) changed.add(file.path);
  }
  const anyChanged = (...paths: string[]) => paths.some((path) => changed.has(path));
  const etc = (path: string) => `/etc/${path}`;
  const command = (why: string, argv: string[], system = true, input?: string): CommandStep => ({ kind: 'command', argv, system, input, why });

  const steps: Step[] = [];
  const missing = missingPackages();
  if (missing.length > 0) steps.push(command(`paquets manquants : ${missing.join(', ')}`, ['apt-get', 'install', '-y', '--no-install-recommends', ...missing], false));
  if (quiet('getent', ['passwd', user]) === undefined) {
    steps.push(command(`utilisateur système ${user} (site.system.user)`, ['useradd', '--system', '--user-group', '--home-dir', site.paths.run, '--shell', '/usr/sbin/nologin', user]));
  }
  for (const path of [site.paths.run, site.paths.logs, site.paths.uploads, site.paths.nginxCache, site.paths.acme, dirname(site.paths.app)]) {
    if (!existsSync(on(path))) steps.push({ kind: 'dir', path, owner: path === site.paths.acme || path === site.paths.nginxCache ? site.system.nginxUser : user });
  }
  // Redis does not create its `dir`: one per instance, the redis account's.
  for (const name of REDIS_INSTANCES) {
    const path = redisInstance(site, name).dir;
    if (!existsSync(on(path))) steps.push({ kind: 'dir', path, owner: 'redis' });
  }
  if (site.machine.ramMb < SWAP_BELOW_RAM_MB && !(quiet('cat', ['/proc/swaps']) ?? '').includes('/swapfile')) {
    const why = `swap de 1 Go (site.machine.ramMb ${site.machine.ramMb} < ${SWAP_BELOW_RAM_MB})`;
    steps.push(command(why, ['fallocate', '-l', '1G', '/swapfile']), command(why, ['chmod', '600', '/swapfile']), command(why, ['mkswap', '/swapfile']), command(why, ['swapon', '/swapfile']));
    steps.push(command(why, ['sh', '-c', "grep -q '^/swapfile ' /etc/fstab || echo '/swapfile none swap sw 0 0' >> /etc/fstab"]));
  }

  const nginxSite = etc('nginx/conf.d/girlycrea.conf');
  steps.push(...files.filter((file) => file.path !== nginxSite && changed.has(file.path)));

  const pgEtc = etc('postgresql/15/main');
  if (anyChanged(`${pgEtc}/postgresql.conf`, `${pgEtc}/pg_hba.conf`)) steps.push(command('configuration PostgreSQL modifiée (shared_buffers demande un redémarrage)', ['systemctl', 'restart', 'postgresql@15-main']));
  if (anyChanged(etc('girlycrea/postgres-roles.sql')) || generated.some((key) => key.startsWith('POSTGRES_'))) {
    const psql = ['runuser', '-u', 'postgres', '--', 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-p', String(site.postgres.port)];
    steps.push(command('rôles et base de la boutique', [...psql, '-f', etc('girlycrea/postgres-roles.sql')]));
    steps.push(command('mots de passe des rôles (depuis le fichier secret)', [...psql, '-f', '-'], true, rolePasswordsSql(site, secrets)));
  }
  if (anyChanged(etc('pgbouncer/pgbouncer.ini'), etc('pgbouncer/userlist.txt'))) {
    steps.push(command('PgBouncer reconfiguré', ['systemctl', 'enable', 'pgbouncer']), command('PgBouncer reconfiguré', ['systemctl', 'restart', 'pgbouncer']));
  }
  if (quiet('systemctl', ['is-enabled', 'redis-server']) === 'enabled') {
    steps.push(command('le Redis par défaut de Debian laisse la place aux instances state et cache', ['systemctl', 'disable', '--now', 'redis-server']));
  }
  for (const name of REDIS_INSTANCES) {
    if (anyChanged(etc(`redis/redis-${name}.conf`), etc(`redis/girlycrea-${name}.acl`))) {
      steps.push(command(`Redis ${name} reconfiguré`, ['systemctl', 'enable', `redis-server@${name}`]), command(`Redis ${name} reconfiguré`, ['systemctl', 'restart', `redis-server@${name}`]));
    }
  }

  // The site's HTTPS server needs the certificate: a first run serves the ACME challenge over plain
  // HTTP, asks Let's Encrypt, then installs the real site.
  const certificate = tlsFiles(site).certificate;
  const needCertificate = !site.tls && !existsSync(on(certificate));
  if (needCertificate) {
    const bootstrap = `server {\n  listen ${site.nginx.httpPort};\n  server_name ${site.domain};\n  location ^~ /.well-known/acme-challenge/ { root ${site.paths.acme}; }\n}\n`;
    steps.push({ kind: 'file', path: nginxSite, content: bootstrap, mode: 0o644, secret: false });
    steps.push(command('premier certificat : le site HTTP seul sert le défi ACME', ['sh', '-c', 'nginx -t -q && systemctl reload-or-restart nginx']));
    steps.push(command(`certificat Let's Encrypt de ${site.domain}`, ['certbot', 'certonly', '--webroot', '-w', site.paths.acme, '-d', site.domain, '-m', site.adminEmail, '--agree-tos', '--non-interactive']));
  }
  const nginxFiles = files.filter((file) => file.path.startsWith(etc('nginx/')));
  if (needCertificate || changed.has(nginxSite)) steps.push(...files.filter((file) => file.path === nginxSite));
  if (needCertificate || nginxFiles.some((file) => changed.has(file.path))) {
    steps.push(command('configuration Nginx modifiée', ['nginx', '-t', '-q']), command('configuration Nginx modifiée', ['systemctl', 'enable', 'nginx']), command('configuration Nginx modifiée', ['systemctl', 'reload-or-restart', 'nginx']));
  }
  if (anyChanged(etc('nftables.conf'))) {
    steps.push(command('pare-feu : 22, 80, 443', ['nft', '-c', '-f', etc('nftables.conf')]), command('pare-feu : 22, 80, 443', ['systemctl', 'enable', 'nftables']), command('pare-feu : 22, 80, 443', ['nft', '-f', etc('nftables.conf')]));
  }
  if (anyChanged(etc('fail2ban/jail.d/girlycrea.conf'), etc('fail2ban/filter.d/girlycrea-nginx-429.conf'))) {
    steps.push(command('fail2ban (sshd, 429 Nginx)', ['systemctl', 'enable', 'fail2ban']), command('fail2ban (sshd, 429 Nginx)', ['systemctl', 'restart', 'fail2ban']));
  }
  if (quiet('timedatectl', ['show', '-p', 'NTP', '--value']) !== 'yes') steps.push(command("synchronisation de l'heure", ['timedatectl', 'set-ntp', 'true']));
  if (anyChanged(etc('systemd/system/girlycrea.service'))) {
    steps.push(command('PM2 au démarrage (girlycrea.service)', ['systemctl', 'daemon-reload']), command('PM2 au démarrage (girlycrea.service)', ['systemctl', 'enable', 'girlycrea']));
  }

  // Print the plan, then carry it out.
  const print = async (step: Step) => {
    if (step.kind === 'file') {
      const before = await current(on(step.path));
      const modeNote = before && before.mode !== step.mode ? ` (mode ${before.mode.toString(8)} → ${step.mode.toString(8)})` : '';
      out(`${before ? '~' : '+'} ${step.path}${modeNote}${step.owner ? ` [${step.owner}]` : ''}`);
      if (step.secret) {
        out(`    (contenu secret non affiché${generated.length > 0 && step.path === site.paths.secrets ? ` ; générés : ${generated.join(', ')}` : ''})`);
      } else if (before?.content !== step.content) {
        for (const line of unifiedDiff(step.path, before?.content ?? '', step.content).split('\n')) if (line) out(`    ${line}`);
      }
    } else if (step.kind === 'dir') {
      out(`+ ${step.path}/ [${step.owner}]`);
    } else {
      const skipped = options.root !== undefined && step.system;
      out(`${skipped ? '  (--root : non lancé) ' : '$ '}${shellWords(step.argv)}${step.input ? ' < (secret)' : ''}   # ${step.why}`);
    }
  };

  const owner = (spec: string) => {
    const [name = 'root', group] = spec.split(':');
    const ids = systemUser(name);
    return { uid: ids.uid, gid: group ? systemUser(group).gid : ids.gid };
  };
  for (const step of steps) {
    await print(step);
    if (step.kind === 'command') {
      if (options.root !== undefined && step.system) {
        summary.skipped.push(shellWords(step.argv));
        continue;
      }
      summary.commands.push(shellWords(step.argv));
      if (dryRun) continue;
      execFileSync(step.argv[0] as string, step.argv.slice(1), { input: step.input, stdio: [step.input ? 'pipe' : 'ignore', 'inherit', 'inherit'], cwd: '/' });
      continue;
    }
    summary.files.push(step.path);
    if (dryRun) continue;
    const target = on(step.path);
    if (step.kind === 'dir') {
      await mkdir(target, { recursive: true, mode: 0o755 });
      if (options.root === undefined) {
        const ids = owner(step.owner);
        await chown(target, ids.uid, ids.gid);
      }
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    // Written with its final mode first, so a secret is never readable by others, even briefly.
    await writeFile(`${target}.gc-new`, step.content, { mode: step.mode });
    await chmod(`${target}.gc-new`, step.mode);
    if (options.root === undefined && step.owner) {
      const ids = owner(step.owner);
      await chown(`${target}.gc-new`, ids.uid, ids.gid);
    }
    execFileSync('mv', ['-f', `${target}.gc-new`, target]);
  }
  const done = summary.files.length + summary.commands.length;
  if (done === 0) out(`Aucun changement${summary.skipped.length ? ` (${summary.skipped.length} commande(s) système non lancées avec --root)` : ''}.`);
  else out(`${dryRun ? 'Plan' : 'Fait'} : ${summary.files.length} fichier(s) ou dossier(s), ${summary.commands.length} commande(s)${summary.skipped.length ? `, ${summary.skipped.length} commande(s) système non lancées (--root)` : ''}${dryRun ? ' — rien n’a été modifié (--dry-run).' : '.'}`);
  return summary;
}
