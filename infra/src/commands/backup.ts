import { isAbsolute } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../cli.js';
import { backupFiles, restoreFiles } from '../backup/borg.js';
import { drill } from '../backup/drill.js';
import { withJobMetrics } from '../backup/metrics.js';
import { backupNow, backupStatus, formatBytes, initStanza, restore } from '../backup/pgbackrest.js';
import { BackupError, secondsSince } from '../backup/run.js';
import { DEFAULT_SITE_FILE } from '../paths.js';
import { loadSite } from '../site.js';

const USAGE = `backup <sous-commande> [--site infra/site.json]
             init                          crée le stanza pgBackRest et vérifie l’archivage WAL
             status                        dernières sauvegardes, retard d’archivage, taille des dépôts
             now [--type full|diff]        sauvegarde PostgreSQL dans chaque dépôt (défaut : diff)
             restore --to "AAAA-MM-JJ HH:MM:SS+01" | --latest [--target-dir DIR] [--repo 1|2]
             drill                         restaure dans un cluster jetable, vérifie, mesure RTO et RPO
             files                         sauvegarde Borg des fichiers (uploads, /etc, secrets, Redis)
             restore-files --target-dir DIR [--archive NOM] [CHEMIN…]`;

function progress(line: string): void {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/** `backup …`: pgBackRest and Borg backups, restores and the restore drill; failures exit 1 with what to do. */
export const backupCommand: Command = {
  summary: 'sauvegardes PostgreSQL (pgBackRest) et fichiers (Borg), restauration, exercice de restauration',
  usage: USAGE,
  async run(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        site: { type: 'string', default: DEFAULT_SITE_FILE },
        type: { type: 'string', default: 'diff' },
        to: { type: 'string' },
        latest: { type: 'boolean', default: false },
        'target-dir': { type: 'string' },
        archive: { type: 'string' },
        repo: { type: 'string' },
      },
    });
    const [sub, ...rest] = positionals;
    const site = await loadSite(values.site);
    const started = performance.now();
    const given = values['target-dir'];
    // npm runs this from infra/: a relative path would not mean what the operator typed.
    if (given !== undefined && !isAbsolute(given)) throw new BackupError(`--target-dir ${given} : chemin relatif`, 'donnez un chemin absolu, ex. --target-dir /var/tmp/restauration');
    const targetDir = given;
    switch (sub) {
      case 'init':
        await initStanza(site, progress);
        progress(`✓ stanza ${site.backup.stanza} prêt : le WAL atteint chaque dépôt`);
        return;
      case 'status':
        for (const line of await backupStatus(site)) process.stdout.write(`${line}\n`);
        return;
      case 'now': {
        const type = values.type;
        if (type !== 'full' && type !== 'diff') throw new BackupError(`--type ${type} inconnu`, 'utilisez --type full ou --type diff');
        const summary = await withJobMetrics(site, type, () => backupNow(site, type, progress));
        progress(`✓ sauvegarde ${type} terminée en ${secondsSince(started)} s : ${summary.repos.map((r) => `dépôt ${r.key} ${r.label}`).join(', ')}`);
        return;
      }
      case 'restore': {
        if (Boolean(values.to) === values.latest) throw new BackupError('indiquez soit --to "<instant>", soit --latest', USAGE);
        const repo = values.repo === undefined ? undefined : Number(values.repo);
        if (repo !== undefined && repo !== 1 && !(repo === 2 && site.backup.s3)) throw new BackupError(`--repo ${values.repo} inconnu`, site.backup.s3 ? '--repo 1 (ce disque) ou --repo 2 (S3)' : 'seul --repo 1 existe : site.backup.s3 n’est pas configuré');
        const result = await restore(site, { to: values.to, targetDir, repo }, progress);
        progress(`✓ restauration écrite dans ${result.dataDir} en ${result.seconds} s`);
        progress(
          targetDir
            ? `démarrez la copie à part : runuser -u ${site.backup.postgres.user} -- ${site.backup.postgres.binDir}/pg_ctl -D ${result.dataDir} -o "-p ${site.backup.drill.port} -c archive_mode=off" start`
            : 'démarrez PostgreSQL (systemctl start postgresql@15-main) : il rejoue le WAL puis se promeut ; ensuite npm run backup -- now --type full',
        );
        return;
      }
      case 'drill': {
        const report = await withJobMetrics(site, 'drill', () => drill(site, progress), (r) => ({ rto_seconds: r.rtoSeconds, rpo_seconds: r.rpoSeconds, restored_bytes: r.restoredBytes }));
        progress(
          `✓ exercice réussi en ${report.totalSeconds} s : RTO ${report.rtoSeconds} s, RPO ${report.rpoSeconds} s, ${formatBytes(report.restoredBytes)} restaurés, ${report.restored.orders} commande(s) vérifiée(s) à ${report.target}`,
        );
        process.stdout.write(`${JSON.stringify({ drill: report })}\n`);
        return;
      }
      case 'files': {
        const summary = await withJobMetrics(site, 'files', () => backupFiles(site, progress));
        progress(`✓ archive Borg ${summary.archive} : ${summary.paths.length} chemin(s) en ${summary.seconds} s`);
        return;
      }
      case 'restore-files': {
        if (!targetDir) throw new BackupError('--target-dir est requis', 'ex. --target-dir /var/tmp/restauration (rien de vivant n’est écrasé)');
        const result = await restoreFiles(site, { targetDir, archive: values.archive, paths: rest }, progress);
        progress(`✓ ${result.archive} extraite dans ${targetDir} en ${result.seconds} s : copiez ce qu’il faut à sa place`);
        return;
      }
      default:
        throw new BackupError(`sous-commande inconnue : ${sub ?? '(aucune)'}`, `usage : npm run backup -- ${USAGE}`);
    }
  },
};
