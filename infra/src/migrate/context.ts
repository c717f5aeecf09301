import type { Mapping } from './mapping.js';

/** Everything a migration step needs: where the databases are, the mapping, and where progress goes. */
export interface MigrationContext {
  /** The legacy database, direct connection (Supabase: db.<project>.supabase.co:5432, not the pooler). */
  sourceUrl: string;
  /** The shop's database on the VPS, direct connection (DATABASE_DIRECT_URL). */
  targetUrl: string;
  /** The staging database the subscription writes into (same server as the target). */
  stagingUrl: string;
  mapping: Mapping;
  /** Progress lines, in French, for the operator. */
  log(line: string): void;
}

/** Names of what the migration creates; fixed so every step (and a rerun) finds them. */
export const NAMES = {
  publication: 'girlycrea_migration',
  subscription: 'girlycrea_migration',
  /** Change queue and sync state inside the staging database. */
  schema: '_girlycrea_migration',
} as const;

/** A refusal a step decides before writing anything; the CLI prints its lines and exits 1. */
export class MigrationStop extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length ? `${message}\n${problems.map((p) => `  ✗ ${p}`).join('\n')}` : message);
    this.name = 'MigrationStop';
  }
}
