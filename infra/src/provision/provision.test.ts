import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.js';
import { renderAll, writeRendered } from '../render.js';
import { readEnv, SECRET_KEYS } from '../secrets.js';
import { loadSite, type Site } from '../site.js';
import { testSite } from '../testing.js';
import { assertPlatform, provision } from './provision.js';

/** path -> hash of content (or link target, or "dir") for every entry under `dir`. */
async function snapshot(dir: string, into = new Map<string, string>()): Promise<Map<string, string>> {
  for (const entry of await readdir(dir)) {
    const path = join(dir, entry);
    const info = await lstat(path);
    const mode = (info.mode & 0o7777).toString(8);
    if (info.isSymbolicLink()) into.set(path, `link ${await readlink(path)}`);
    else if (info.isDirectory()) {
      into.set(path, `dir ${mode} ${info.uid}`);
      await snapshot(path, into);
    } else if (info.isFile()) into.set(path, `${mode} ${info.uid} ${createHash('sha256').update(await readFile(path)).digest('hex')}`);
  }
  return into;
}

function changedPaths(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path) !== after.get(path));
}

const cli = join(REPO_ROOT, 'infra', 'src', 'cli.ts');
const tsx = (args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', '--conditions=development', cli, ...args], { cwd: REPO_ROOT, maxBuffer: 32 * 1024 * 1024 });

describe('provision --dry-run on this Debian 12 machine', () => {
  it('prints every file diff and command, and leaves /etc exactly as it was', async () => {
    const before = await snapshot('/etc');
    const { stdout } = await tsx(['provision', '--dry-run', '--site', join(REPO_ROOT, 'infra', 'site.example.json')]);
    const after = await snapshot('/etc');
    expect(changedPaths(before, after)).toEqual([]);
    expect(stdout).toContain('+ /etc/redis/redis-state.conf [redis]');
    expect(stdout).toMatch(/^ {4}\+shared_buffers = 2GB/m);
    expect(stdout).toMatch(/^ {4}\+auth_type = scram-sha-256$/m);
    expect(stdout).toContain('(contenu secret non affiché');
    expect(stdout).toContain('$ systemctl restart postgresql@15-main');
    expect(stdout).toContain("$ runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p 5432 -f - < (secret)");
    expect(stdout).toContain('$ nft -f /etc/nftables.conf');
    expect(stdout).toContain('$ certbot certonly --webroot -w /var/www/letsencrypt -d girlycrea.fr');
    expect(stdout).toMatch(/Plan : \d+ fichier\(s\) ou dossier\(s\), \d+ commande\(s\) — rien n’a été modifié \(--dry-run\)\.\n$/);
    // No secret leaks into the plan: nothing looks like a generated password.
    expect(stdout).not.toMatch(/(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[a-z])(?=[\w-]*[A-Z])[\w-]{43}(?![\w-])/);
  }, 60_000);
});

describe('provision --root DIR, twice', () => {
  let root: string;
  let dir: string;
  let site: Site;
  const lines: string[][] = [[], []];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gc-root-'));
    dir = await mkdtemp(join(tmpdir(), 'gc-site-'));
    site = await testSite(dir);
    const first = await provision({ site, dryRun: false, root, out: (line) => lines[0]?.push(line) });
    expect(first.files.length).toBeGreaterThan(20);
    await provision({ site, dryRun: false, root, out: (line) => lines[1]?.push(line) });
  }, 60_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every rendered file under the root the first time', async () => {
    for (const file of renderAll(site)) {
      expect(await readFile(join(root, file.path), 'utf8')).toBe(file.content);
      expect((await stat(join(root, file.path))).mode & 0o7777).toBe(file.mode ?? 0o644);
    }
  });

  it('generates the secrets once into an env file readable by root and the app user only, and derives the PgBouncer userlist from it', async () => {
    const envPath = join(root, site.paths.secrets);
    expect((await stat(envPath)).mode & 0o7777).toBe(0o640);
    const env = readEnv(await readFile(envPath, 'utf8'));
    for (const key of SECRET_KEYS) expect(env[key]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(env.DATABASE_URL).toBe(`postgres://${site.postgres.appRole}:${env.POSTGRES_APP_PASSWORD}@127.0.0.1:${site.pgbouncer.port}/${site.postgres.database}`);
    const userlist = await readFile(join(root, site.paths.etc, 'pgbouncer', 'userlist.txt'), 'utf8');
    expect(userlist).toContain(`"${site.postgres.appRole}" "${env.POSTGRES_APP_PASSWORD}"`);
  });

  it('reports "no change" the second time, restarts nothing and keeps the secrets', () => {
    expect(lines[1]?.at(-1)).toMatch(/^Aucun changement/);
    expect(lines[1]?.filter((line) => line.startsWith('$ ') || line.startsWith('+ ') || line.startsWith('~ '))).toEqual([]);
  });

  it('keeps variables other areas added to the env file, and adds a missing secret without touching the others', async () => {
    const envPath = join(root, site.paths.secrets);
    const before = await readFile(envPath, 'utf8');
    const edited = `${before.replace(/^REDIS_ADMIN_PASSWORD=.*\n/m, '')}SMTP_URL=smtp://relay.example:587\n`;
    await writeFile(envPath, edited);
    const out: string[] = [];
    await provision({ site, dryRun: false, root, out: (line) => out.push(line) });
    const after = readEnv(await readFile(envPath, 'utf8'));
    const old = readEnv(before);
    expect(after.SMTP_URL).toBe('smtp://relay.example:587');
    expect(after.POSTGRES_APP_PASSWORD).toBe(old.POSTGRES_APP_PASSWORD);
    expect(after.REDIS_ADMIN_PASSWORD).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(after.REDIS_ADMIN_PASSWORD).not.toBe(old.REDIS_ADMIN_PASSWORD);
    expect(out.join('\n')).toContain('générés : REDIS_ADMIN_PASSWORD');
  });
});

describe('the machine files provisioning installs', () => {
  let dir: string;
  let etc: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gc-system-'));
    await writeRendered(dir, renderAll(await loadSite(join(REPO_ROOT, 'infra', 'site.example.json'))));
    etc = join(dir, 'etc');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('every shell script of the repository and the rendered certbot hook pass shellcheck', () => {
    const scripts = execFileSync('git', ['ls-files', '*.sh'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n').filter(Boolean).map((path) => join(REPO_ROOT, path));
    expect(scripts.length).toBeGreaterThan(0);
    execFileSync('shellcheck', [...scripts, join(etc, 'letsencrypt/renewal-hooks/deploy/girlycrea-reload-nginx')], { stdio: 'pipe' });
  });

  it('nft accepts the firewall, which opens 22, 80 and 443 only', async () => {
    execFileSync('nft', ['-c', '-f', join(etc, 'nftables.conf')], { stdio: 'pipe' });
    const accepted = [...(await readFile(join(etc, 'nftables.conf'), 'utf8')).matchAll(/tcp dport \{?([\d, ]+)\}? accept/g)].flatMap((m) => (m[1] as string).split(',').map((p) => Number(p.trim())));
    expect(accepted.sort((a, b) => a - b)).toEqual([22, 80, 443]);
  });

  it("fail2ban's filter matches a 429 of the shop's JSON access log, not a 200", () => {
    const filter = join(etc, 'fail2ban/filter.d/girlycrea-nginx-429.conf');
    const line = (status: number) => `{"time":"2026-12-01T15:00:00+00:00","ip":"203.0.113.9","method":"POST","uri":"/api/auth/login","status":${status},"bytes":90,"ms":0.001,"upstream_ms":"","cache":"NONE","ua":"curl"}`;
    expect(execFileSync('fail2ban-regex', [line(429), filter], { encoding: 'utf8' })).toMatch(/Lines: 1 lines, 0 ignored, 1 matched, 0 missed/);
    expect(execFileSync('fail2ban-regex', [line(200), filter], { encoding: 'utf8' })).toMatch(/Lines: 1 lines, 0 ignored, 0 matched, 1 missed/);
  });
});

describe('provision refuses other systems', () => {
  it('names the system it found', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gc-os-'));
    const osRelease = join(dir, 'os-release');
    await writeFile(osRelease, 'PRETTY_NAME="Ubuntu 24.04 LTS"\nID=ubuntu\nVERSION_ID="24.04"\n');
    expect(() => assertPlatform(true, osRelease)).toThrow('le provisioning ne fonctionne que sur Debian 12 (cette machine : Ubuntu 24.04 LTS).');
    await rm(dir, { recursive: true, force: true });
  });
});
