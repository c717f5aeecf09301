import { migrate } from '../migrate.js';

// Entry point: the one place in this package that reads the environment.
const url = process.env.DATABASE_DIRECT_URL ?? process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_DIRECT_URL (ou DATABASE_URL) est requis : la connexion directe à PostgreSQL, sans PgBouncer.');
  process.exit(2);
}

const started = performance.now();
try {
  const summary = await migrate(url, { onProgress: (line) => console.log(line) });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `migrations : ${summary.applied.length} appliquée(s), ${summary.alreadyApplied} déjà en place (${seconds} s)`,
  );
} catch (error) {
  console.error(`échec : ${(error as Error).message}`);
  console.error('Rien n’a été appliqué pour la migration en échec ; corrigez-la puis relancez `npm run migrate`.');
  process.exit(1);
}
