import { migrate } from '../migrate.js';
import { openCliDatabase } from './database.js';

// Entry point: the one place in this package that reads the environment (with ./database.ts).
const database = await openCliDatabase(process.env).catch((error: unknown) => {
  console.error(`échec : ${(error as Error).message}`);
  process.exit(2);
});
console.log(database.description);

const started = performance.now();
try {
  const summary = await migrate(database.url, { onProgress: (line) => console.log(line) });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `migrations : ${summary.applied.length} appliquée(s), ${summary.alreadyApplied} déjà en place (${seconds} s)`,
  );
} catch (error) {
  console.error(`échec : ${(error as Error).message}`);
  console.error('Rien n’a été appliqué pour la migration en échec ; corrigez-la puis relancez `npm run migrate`.');
  process.exitCode = 1;
} finally {
  await database.release();
}
