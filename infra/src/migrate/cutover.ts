import { readTables } from './catalog.js';
import { NAMES, type MigrationContext } from './context.js';
import { withClient, type Client } from './db.js';
import { quoteIdent, quoteQualified } from './mapping.js';
import { dropReplication, sourceTables, sync } from './replicate.js';

/** How the operator's side of the switch is done: stop the old shop's writes, then point users at the VPS. */
export interface CutoverHooks {
  /** Puts the old shop in maintenance (its writes stop); resolves once it is. */
  freeze(): Promise<void>;
  /** Points the domain at the VPS (DNS, Nginx), after the target is ready; default: print what to do. */
  switchOver?(): Promise<void>;
}

/** What the cutover measured. */
export interface CutoverResult {
  /** From the freeze to the target ready for writes. */
  writeDowntimeMs: number;
  steps: { step: string; ms: number }[];
  sequences: { target: string; value: string }[];
  /** Change-queue entries applied by the final sync. */
  finalChanges: number;
}

async function waitForReplication(source: Client, lsn: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await source.query<{ caught_up: boolean | null }>(
      'SELECT confirmed_flush_lsn >= $1::pg_lsn AS caught_up FROM pg_replication_slots WHERE slot_name = $2',
      [lsn, NAMES.subscription],
    );
    if (rows.length === 0) throw new Error(`le slot ${NAMES.subscription} n'existe pas sur la source : lancez d'abord start`);
    if (rows[0]!.caught_up) return;
    if (Date.now() > deadline) throw new Error(`la réplication n'a pas rattrapé ${lsn} en ${timeoutMs / 1000} s : l'abonnement est-il en erreur ? (journaux PostgreSQL de la cible)`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function countRows(client: Client, tables: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of tables) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteQualified(table)}`);
    counts.set(table, Number(rows[0]!.n));
  }
  return counts;
}

/**
 * The only step with write downtime: freeze the old shop, wait until the target has received every
 * committed change, run the last transform, set every sequence past the source's, check staging
 * holds exactly the source's rows, then the shop is ready for writes (the measured downtime ends).
 * After that: switch users over and drop the subscription (the source itself is left untouched).
 */
export async function cutover(ctx: MigrationContext, hooks: CutoverHooks): Promise<CutoverResult> {
  const steps: CutoverResult['steps'] = [];
  const names = sourceTables(ctx);
  return withClient(ctx.sourceUrl, 'la base source', (source) =>
    withClient(ctx.stagingUrl, 'la base de transit', async (staging) => {
      // Everything that can be prepared before the freeze is, so the clock only runs on what must wait.
      await readTables(staging);
      const started = performance.now();
      let mark = started;
      const step = (name: string) => {
        const now = performance.now();
        steps.push({ step: name, ms: Math.round(now - mark) });
        ctx.log(`  ${name} : ${Math.round(now - mark)} ms`);
        mark = now;
      };
      ctx.log('bascule : gel des écritures de l’ancienne boutique…');
      await hooks.freeze();
      step('gel des écritures');
      const { rows: lsnRows } = await source.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      await waitForReplication(source, lsnRows[0]!.lsn, 60_000);
      step(`réplication rattrapée (${lsnRows[0]!.lsn})`);
      const final = await sync(ctx);
      step(`dernière transformation (${final.changes} changements)`);
      const sequences: CutoverResult['sequences'] = [];
      await withClient(ctx.targetUrl, 'la base cible', async (target) => {
        for (const sequence of ctx.mapping.sequences) {
          const { rows } = await source.query<{ last_value: string }>(`SELECT last_value FROM ${quoteQualified(sequence.source)}`);
          const { rows: set } = await target.query<{ value: string }>(
            `SELECT setval(${`'${quoteIdent(sequence.target).replace(/'/g, "''")}'`}::regclass, greatest($1::bigint, (SELECT last_value FROM ${quoteIdent(sequence.target)})))::text AS value`,
            [rows[0]!.last_value],
          );
          sequences.push({ target: sequence.target, value: set[0]!.value });
        }
      });
      step(`séquences avancées (${sequences.map((s) => `${s.target} = ${s.value}`).join(', ') || 'aucune'})`);
      const [sourceCounts, stagingCounts] = await Promise.all([countRows(source, names), countRows(staging, names)]);
      const missing = names.filter((name) => sourceCounts.get(name) !== stagingCounts.get(name));
      if (missing.length) {
        throw new Error(
          `bascule arrêtée, la cible n'est pas prête : ${missing.map((n) => `${n} source ${sourceCounts.get(n)} ≠ transit ${stagingCounts.get(n)}`).join(' ; ')}. L'ancienne boutique est intacte : levez sa maintenance (retour arrière).`,
        );
      }
      step('comptes source = transit');
      const writeDowntimeMs = Math.round(performance.now() - started);
      ctx.log(`bascule : écritures coupées pendant ${(writeDowntimeMs / 1000).toFixed(2)} s (gel → cible prête)`);
      if (hooks.switchOver) await hooks.switchOver();
      await dropReplication(ctx);
      return { writeDowntimeMs, steps, sequences, finalChanges: final.changes };
    }),
  );
}
