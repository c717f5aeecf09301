import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { Command } from '../cli.js';
import { check } from '../migrate/check.js';
import { readMigrateEnv, required } from '../migrate/config.js';
import type { MigrationContext } from '../migrate/context.js';
import { cutover } from '../migrate/cutover.js';
import { databaseOf, withDatabaseName } from '../migrate/db.js';
import { DEFAULT_MAPPING_FILE, loadMapping } from '../migrate/mapping.js';
import { copyRedis } from '../migrate/redis-copy.js';
import { start, sync } from '../migrate/replicate.js';
import { copyStorage } from '../migrate/storage.js';
import { verify } from '../migrate/verify.js';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function context(mappingFile: string): Promise<MigrationContext> {
  const env = readMigrateEnv();
  const targetUrl = required(env, 'DATABASE_DIRECT_URL', 'la base de la boutique sur le VPS, en connexion directe (pas PgBouncer)');
  return {
    sourceUrl: required(env, 'LEGACY_DATABASE_URL', 'la base Supabase en connexion directe (db.<projet>.supabase.co:5432, utilisateur postgres), pas le pooler'),
    targetUrl,
    stagingUrl: env.LEGACY_STAGING_DATABASE_URL ?? withDatabaseName(targetUrl, `${databaseOf(targetUrl)}_legacy`),
    mapping: await loadMapping(mappingFile),
    log: say,
  };
}

async function confirm(question: string): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`${question} [oui/non] `);
    if (answer.trim().toLowerCase() !== 'oui') throw new Error('bascule abandonnée : rien n’a changé');
  } finally {
    rl.close();
  }
}

/** `migrate-legacy <check|start|sync|storage|redis|cutover|verify>`: the move off Supabase and Upstash (infra/docs/migrate.md). */
export const migrateLegacyCommand: Command = {
  summary: 'migre la boutique depuis Supabase et Upstash (voir infra/docs/migrate.md)',
  usage: 'migrate-legacy <check|start|sync|storage|redis|cutover|verify> [--mapping infra/legacy-mapping.json] [--follow] [--freeze-url URL] [--api URL] [--yes]',
  async run(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        mapping: { type: 'string', default: DEFAULT_MAPPING_FILE },
        follow: { type: 'boolean', default: false },
        'freeze-url': { type: 'string' },
        api: { type: 'string' },
        yes: { type: 'boolean', default: false },
      },
    });
    const [step] = positionals;
    const env = readMigrateEnv();
    switch (step) {
      case 'check': {
        const ctx = await context(values.mapping);
        const report = await check(ctx);
        say(`source PostgreSQL ${report.sourceVersion}, cible PostgreSQL ${report.targetVersion}, wal_level logical : OK`);
        for (const row of report.rows) say(`  ${row.source.padEnd(28)} → ${row.target.padEnd(20)} ${row.rows} lignes`);
        if (report.storageObjects !== null) say(`  images du bucket : ${report.storageObjects}`);
        if (env.LEGACY_REDIS_URL) {
          const { Redis } = await import('ioredis');
          const redis = new Redis(env.LEGACY_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
          await redis.connect();
          say(`  clés Redis (Upstash) : ${await redis.dbsize()}`);
          redis.disconnect();
        }
        for (const warning of report.warnings) say(`  ! ${warning}`);
        say('Vérification réussie : rien n’a été écrit. Étape suivante : start.');
        return;
      }
      case 'start': {
        const ctx = await context(values.mapping);
        await start(ctx);
        say('Réplication en place : la boutique du VPS suit l’ancienne.');
        if (!values.follow) return say('Relancez « sync » (ou « start --follow ») pour appliquer les nouveautés ; « cutover » le jour J.');
        // Falls through to sync's loop.
        await followSync(ctx);
        return;
      }
      case 'sync': {
        const ctx = await context(values.mapping);
        if (values.follow) return followSync(ctx);
        const result = await sync(ctx);
        say(`sync : ${result.changes} changements, écrits ${JSON.stringify(result.upserted)}, supprimés ${JSON.stringify(result.deleted)}`);
        return;
      }
      case 'storage': {
        const ctx = await context(values.mapping);
        if (!ctx.mapping.storage) throw new Error('la correspondance n’a pas de section « storage »');
        const report = await copyStorage({
          sourceUrl: ctx.sourceUrl,
          supabaseUrl: required(env, 'SUPABASE_URL', 'https://<projet>.supabase.co'),
          serviceKey: required(env, 'SUPABASE_SERVICE_ROLE_KEY', 'la clé service_role du projet Supabase (Paramètres → API)'),
          bucket: ctx.mapping.storage.bucket,
          to: ctx.mapping.storage.to,
          uploadsDir: required(env, 'UPLOADS_DIR', 'le dossier des images du VPS (site.paths.uploads, ex. /srv/girlycrea/uploads)'),
          log: say,
        });
        if (report.failed.length) throw new Error(`${report.failed.length} images non copiées (liste ci-dessus) : relancez storage, seules les manquantes seront téléchargées`);
        return;
      }
      case 'redis': {
        const mapping = await loadMapping(values.mapping);
        await copyRedis(required(env, 'LEGACY_REDIS_URL', 'l’URL rediss:// d’Upstash'), required(env, 'REDIS_URL', 'le Redis d’état du VPS'), mapping.redis, say);
        return;
      }
      case 'cutover': {
        const ctx = await context(values.mapping);
        const freezeUrl = values['freeze-url'];
        if (!values.yes && !freezeUrl) await confirm('L’ancienne boutique est-elle en maintenance (plus aucune commande possible) ?');
        const result = await cutover(ctx, {
          async freeze() {
            if (!freezeUrl) return;
            const response = await fetch(freezeUrl, { method: 'POST', signal: AbortSignal.timeout(10_000) });
            if (!response.ok) throw new Error(`la mise en maintenance (${freezeUrl}) a répondu ${response.status} : rien n'a changé`);
          },
          async switchOver() {
            say('À faire maintenant : pointez le DNS (ou le proxy) du domaine vers le VPS, puis lancez verify et npm run smoke.');
          },
        });
        say(`Coupure des écritures : ${(result.writeDowntimeMs / 1000).toFixed(2)} s.`);
        return;
      }
      case 'verify': {
        const ctx = await context(values.mapping);
        const report = await verify(ctx, values.api ? { apiUrl: values.api } : {});
        if (!report.ok) throw new Error('vérification : des différences existent (lignes nommées ci-dessus)');
        say('Vérification réussie : source et cible concordent.');
        return;
      }
      default:
        throw new Error(`étape inconnue « ${step ?? ''} » : ${migrateLegacyCommand.usage}`);
    }
  },
};

async function followSync(ctx: MigrationContext): Promise<void> {
  let stopping = false;
  process.once('SIGINT', () => (stopping = true));
  say('Suivi continu (Ctrl-C pour arrêter)…');
  while (!stopping) {
    try {
      const result = await sync(ctx);
      if (result.changes) say(`${new Date().toISOString()} : ${result.changes} changements appliqués ${JSON.stringify(result.upserted)}`);
    } catch (error) {
      // Nothing was saved for this round: the same changes are retried at the next one.
      say(`${new Date().toISOString()} : ✗ ${(error as Error).message} (nouvel essai dans 1 s)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
