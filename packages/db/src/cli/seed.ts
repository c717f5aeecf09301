import { parseArgs } from 'node:util';
import { createPool, DbError } from '../index.js';
import { migrate } from '../migrate.js';
import { MAX_GENERATED_VARIANTS, seedDemoCatalog, seedGeneratedCatalog, seedOrders, type SeedSummary } from '../seed.js';
import { openCliDatabase } from './database.js';

const USAGE = `usage : npm run seed -w @girlycrea/db -- [--products N] [--variants 3]
  sans option      insère le catalogue de démonstration (ne fait rien si des produits existent)
  --products N     ajoute N produits générés (benchmarks), 1 à 1 000 000
  --variants V     variantes par produit généré, 1 à ${MAX_GENERATED_VARIANTS} (défaut 3)
  --orders N       ajoute ensuite N commandes payées générées (exercices de restauration, benchmarks), 1 à 10 000 000`;

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

function parseCount(name: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    fail(`--${name} doit être un entier entre 1 et ${max.toLocaleString('fr-FR')} (reçu « ${raw} ») / --${name} must be an integer from 1 to ${max}\n${USAGE}`, 2);
  }
  return value;
}

let args: { products?: string; variants?: string; orders?: string; help?: boolean };
try {
  args = parseArgs({
    options: { products: { type: 'string' }, variants: { type: 'string' }, orders: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const products = parseCount('products', args.products, 1_000_000);
const variants = parseCount('variants', args.variants, MAX_GENERATED_VARIANTS);
const orders = parseCount('orders', args.orders, 10_000_000);
if (variants !== undefined && products === undefined) fail(`--variants ne s'utilise qu'avec --products\n${USAGE}`, 2);

// Entry point: reads the environment (through ./database.ts). Direct first: seeding is admin work.
const database = await openCliDatabase(process.env).catch((error: unknown) => fail(`échec : ${(error as Error).message}`, 2));
console.log(database.description);

function hint(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const cause = error instanceof DbError ? (error.cause as { code?: unknown } | undefined)?.code : undefined;
  if (code === '42P01') return 'Les tables du catalogue n’existent pas : lancez d’abord `npm run migrate` (run `npm run migrate` first).';
  if (error instanceof DbError && error.kind === 'unavailable') {
    return `PostgreSQL est injoignable${typeof cause === 'string' ? ` (${cause})` : ''} : vérifiez qu’il tourne et l’URL de DATABASE_DIRECT_URL / DATABASE_URL.`;
  }
  if (error instanceof DbError && error.kind === 'conflict') {
    return 'Un slug ou un sku existe déjà (seed lancé deux fois en parallèle ?) : relancez la commande.';
  }
  return 'Rien n’a été inséré pour le lot en échec ; corrigez la cause puis relancez `npm run seed`.';
}

function describe(summary: SeedSummary, seconds: string): string {
  if (summary.skipped) return `catalogue déjà présent : rien inséré (${seconds} s). Pour des données de benchmark : --products N`;
  return `terminé : ${summary.categories} catégorie(s), ${summary.products} produit(s), ${summary.variants} variante(s), ${summary.images} image(s) en ${seconds} s`;
}

const pool = createPool({ url: database.url, max: 2, connectionTimeoutMs: 5000, applicationName: 'girlycrea-seed' });
const started = performance.now();
const onProgress = (line: string) => console.log(line);
try {
  // The embedded database of a fresh clone has no tables yet: `npm run dev` would create them, so do it here.
  if (database.isEmbedded) {
    const migrated = await migrate(database.url);
    if (migrated.applied.length > 0) console.log(`migrations : ${migrated.applied.length} appliquée(s) d’abord`);
  }
  const summary =
    products === undefined
      ? await seedDemoCatalog(pool, { onProgress })
      : await seedGeneratedCatalog(pool, { products, variantsPerProduct: variants ?? 3, onProgress });
  console.log(describe(summary, ((performance.now() - started) / 1000).toFixed(2)));
  if (orders !== undefined) {
    const ordersStarted = performance.now();
    await seedOrders(pool, { orders, onProgress });
    console.log(`terminé : ${orders} commande(s) payée(s) en ${((performance.now() - ordersStarted) / 1000).toFixed(2)} s`);
  }
} catch (error) {
  console.error(`échec du seed : ${(error as Error).message}`);
  console.error(hint(error));
  process.exitCode = 1;
} finally {
  await pool.end();
  await database.release();
}
