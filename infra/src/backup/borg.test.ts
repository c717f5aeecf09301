import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSite } from '../testing.js';
import type { Site } from '../site.js';
import { backupFiles, listArchives, restoreFiles } from './borg.js';
import { metricsFile, withJobMetrics } from './metrics.js';

const log = (line: string) => void line;
let dir: string;
let site: Site;

/** Every file under `root` with its sha256 and mode: what "byte-identical" compares. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out[relative(root, full)] = `${createHash('sha256').update(await readFile(full)).digest('hex')} ${((await stat(full)).mode & 0o777).toString(8)}`;
    }
  };
  await walk(root);
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gc-borg-'));
  site = await testSite(dir);
  await mkdir(join(site.paths.uploads, 'products'), { recursive: true });
  await writeFile(join(site.paths.uploads, 'products', 'collier-perle.webp'), randomBytes(300_000));
  await writeFile(join(site.paths.uploads, 'products', 'bague-or.avif'), randomBytes(50_000));
  await mkdir(join(dir, 'etc', 'opendkim', 'keys'), { recursive: true });
  await writeFile(join(dir, 'etc', 'opendkim', 'keys', 'mail.private'), '-----BEGIN PRIVATE KEY-----\nMIIE…\n-----END PRIVATE KEY-----\n', { mode: 0o600 });
  await writeFile(site.paths.secrets, 'DATABASE_URL=postgres://girlycrea:secret@127.0.0.1:6432/girlycrea\nSTRIPE_SECRET_KEY=sk_live_x\n', { mode: 0o600 });
  await mkdir(site.backup.borg.redisDir, { recursive: true });
  await writeFile(join(site.backup.borg.redisDir, 'dump.rdb'), randomBytes(20_000));
  await mkdir(join(dir, 'backup'), { recursive: true });
  await writeFile(site.backup.borg.passphraseFile, 'la bonne phrase secrète de test\n', { mode: 0o600 });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 10 });
});

describe('Borg backup of what PostgreSQL does not hold', () => {
  it('archives uploads, configs, DKIM keys, the env file and Redis data; after deletion they come back byte-identical', async () => {
    const roots = [site.paths.uploads, join(dir, 'etc'), site.backup.borg.redisDir];
    const before = await Promise.all(roots.map(snapshot));
    const secretsBefore = await readFile(site.paths.secrets);

    const summary = await withJobMetrics(site, 'files', () => backupFiles(site, log));
    expect(summary.paths).toEqual(expect.arrayContaining([site.paths.uploads, site.paths.secrets, site.backup.borg.redisDir]));
    expect(await listArchives(site)).toEqual([summary.archive]);
    expect(await readFile(metricsFile(site, 'files'), 'utf8')).toMatch(/^girlycrea_backup_last_run_success\{job="files"\} 1$/m);

    for (const path of [...roots, site.paths.secrets]) await rm(path, { recursive: true, force: true });
    const target = join(dir, 'restored');
    await restoreFiles(site, { targetDir: target }, log);
    const after = await Promise.all(roots.map((root) => snapshot(join(target, root))));
    expect(after).toEqual(before);
    expect(Object.keys(after[0] ?? {})).toHaveLength(2);
    expect(await readFile(join(target, site.paths.secrets))).toEqual(secretsBefore);
  }, 120_000);

  it('a wrong passphrase fails with a clear message and marks the job failed', async () => {
    await mkdir(site.paths.uploads, { recursive: true });
    await writeFile(join(site.paths.uploads, 'nouvelle.webp'), randomBytes(1000));
    await writeFile(site.backup.borg.passphraseFile, 'une mauvaise phrase\n');
    try {
      await expect(restoreFiles(site, { targetDir: join(dir, 'nope') }, log)).rejects.toThrow(/phrase secrète Borg incorrecte[\s\S]*→ vérifiez .*borg\.passphrase/);
      await expect(withJobMetrics(site, 'files', () => backupFiles(site, log))).rejects.toThrow(/phrase secrète Borg incorrecte/);
      const prom = await readFile(metricsFile(site, 'files'), 'utf8');
      expect(prom).toMatch(/^girlycrea_backup_last_run_success\{job="files"\} 0$/m);
      expect(prom).toMatch(/^girlycrea_backup_last_success_timestamp_seconds\{job="files"\} \d+$/m);
    } finally {
      await writeFile(site.backup.borg.passphraseFile, 'la bonne phrase secrète de test\n');
    }
  }, 60_000);
});
