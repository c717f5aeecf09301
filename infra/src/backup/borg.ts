import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Site } from '../site.js';
import { BackupError, runProgram, secondsSince, type Log } from './run.js';

/** What Borg archives: uploads, the root-only env file, configs, DKIM keys (in /etc/opendkim), Redis' files. */
export function borgPaths(site: Site): string[] {
  return [...new Set([site.paths.uploads, site.paths.secrets, ...site.backup.borg.paths, site.backup.borg.redisDir])];
}

function borgEnv(site: Site): Record<string, string> {
  return {
    BORG_PASSCOMMAND: `cat ${site.backup.borg.passphraseFile}`,
    BORG_BASE_DIR: site.backup.borg.cacheDir,
    BORG_RELOCATED_REPO_ACCESS_IS_OK: 'no',
    BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'no',
    BORG_EXIT_CODES: 'legacy',
  };
}

/** Runs borg; warnings (exit 1, e.g. a file changed while read) pass, errors throw with what to do. */
async function borg(site: Site, args: string[], options: { cwd?: string; log?: Log } = {}): Promise<string> {
  const passphrase = site.backup.borg.passphraseFile;
  if (!existsSync(passphrase)) {
    throw new BackupError(`fichier de phrase secrète Borg absent : ${passphrase}`, 'créez-le (root, mode 0600) avec la phrase du dépôt ; gardez-en une copie hors du VPS');
  }
  await mkdir(site.backup.borg.cacheDir, { recursive: true, mode: 0o700 });
  const result = await runProgram('borg', args, {
    env: borgEnv(site),
    onLine: options.log ? (line) => options.log?.(`    ${line}`) : undefined,
    cwd: options.cwd,
  });
  if (result.code <= 1) return result.stdout;
  const output = `${result.stdout}\n${result.stderr}`;
  if (/passphrase .* is incorrect|passphrase supplied .* is incorrect/i.test(output)) {
    throw new BackupError('phrase secrète Borg incorrecte : le dépôt refuse de s’ouvrir', `vérifiez ${passphrase} : il doit contenir la phrase donnée à la création du dépôt (copie hors du VPS)`);
  }
  if (/does not exist|is not a valid repository/i.test(output)) {
    throw new BackupError(`dépôt Borg introuvable : ${site.backup.borg.repo}`, 'lancez npm run backup -- files pour le créer, ou vérifiez site.backup.borg.repo');
  }
  const reason = output.trim().split('\n').filter(Boolean).at(-1) ?? `code ${result.code}`;
  throw new BackupError(`borg ${args[0] ?? ''} a échoué : ${reason}`, 'corrigez la cause ci-dessus puis relancez npm run backup -- files');
}

/** What a files backup did. */
export interface FilesSummary {
  archive: string;
  paths: string[];
  skipped: string[];
  seconds: number;
}

/** Archives the files (creating the encrypted repository once), then prunes and compacts it. */
export async function backupFiles(site: Site, log: Log, now = new Date()): Promise<FilesSummary> {
  const started = performance.now();
  const repo = site.backup.borg.repo;
  if (!existsSync(join(repo, 'config'))) {
    log(`création du dépôt Borg chiffré ${repo} (repokey-blake2)…`);
    await mkdir(repo, { recursive: true, mode: 0o700 });
    await borg(site, ['init', '--encryption=repokey-blake2', repo]);
    log('  ✓ dépôt créé : exportez sa clé hors du VPS (borg key export) avec la phrase secrète');
  }
  const all = borgPaths(site);
  const paths = all.filter((path) => existsSync(path));
  const skipped = all.filter((path) => !existsSync(path));
  for (const path of skipped) log(`  (absent, ignoré : ${path})`);
  if (paths.length === 0) throw new BackupError('rien à sauvegarder : aucun des chemins prévus n’existe', `vérifiez site.paths.uploads et site.backup.borg.paths (${all.join(', ')})`);
  const archive = `girlycrea-${now.toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-')}`;
  log(`archive ${archive} : ${paths.length} chemin(s)…`);
  await borg(site, ['create', '--stats', '--compression', 'zstd,3', '--exclude-caches', `${repo}::${archive}`, ...paths], { log });
  const { keepDaily, keepWeekly, keepMonthly } = site.backup.borg;
  log(`élagage : ${keepDaily} quotidiennes, ${keepWeekly} hebdomadaires, ${keepMonthly} mensuelles…`);
  await borg(site, ['prune', '--glob-archives', 'girlycrea-*', `--keep-daily=${keepDaily}`, `--keep-weekly=${keepWeekly}`, `--keep-monthly=${keepMonthly}`, repo]);
  await borg(site, ['compact', repo]);
  log(`  ✓ fichiers sauvegardés en ${secondsSince(started)} s`);
  return { archive, paths, skipped, seconds: secondsSince(started) };
}

/** The archives of the repository, oldest first. */
export async function listArchives(site: Site): Promise<string[]> {
  const out = await borg(site, ['list', '--short', site.backup.borg.repo]);
  return out.split('\n').filter(Boolean);
}

/**
 * Extracts an archive (default: the newest) under `targetDir`: files keep their absolute path below it
 * (`targetDir/srv/girlycrea/uploads/…`), so nothing live is overwritten until the operator copies it.
 */
export async function restoreFiles(site: Site, options: { targetDir: string; archive?: string; paths?: string[] }, log: Log): Promise<{ archive: string; seconds: number }> {
  const started = performance.now();
  const archive = options.archive ?? (await listArchives(site)).at(-1);
  if (!archive) throw new BackupError('le dépôt Borg ne contient aucune archive', 'lancez npm run backup -- files');
  await mkdir(options.targetDir, { recursive: true, mode: 0o700 });
  log(`extraction de ${archive} dans ${options.targetDir}…`);
  const only = (options.paths ?? []).map((path) => path.replace(/^\/+/, ''));
  await borg(site, ['extract', '--list', `${site.backup.borg.repo}::${archive}`, ...only], { cwd: options.targetDir });
  log(`  ✓ extrait en ${secondsSince(started)} s`);
  return { archive, seconds: secondsSince(started) };
}
