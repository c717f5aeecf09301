import { exec, one, type Queryable, type Tx } from '@girlycrea/db';

/** An idempotency_keys row as a replay reads it. */
export interface IdempotencyRow {
  request_hash: Buffer;
  status_code: number | null;
  response: unknown;
}

/**
 * Inserts the key unless it exists (then waits for the transaction that inserted it), reading in
 * the same statement the select-list `columns` (their values already in `params` after the first
 * three).
 */
export async function insertKey<R extends object>(tx: Tx, params: unknown[], columns: string): Promise<R & { claimed: boolean }> {
  return one<R & { claimed: boolean }>(
    tx,
    `WITH claim AS (
       INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1
     )
     SELECT EXISTS (SELECT 1 FROM claim) AS claimed, ${columns}`,
    params,
  );
}

/** The record of `key` in `scope`. */
export async function findKey(db: Queryable, scope: string, key: string): Promise<IdempotencyRow> {
  return one<IdempotencyRow>(db, 'SELECT request_hash, status_code, response FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]);
}

/** Sets the status and body of the record. */
export async function setResponse(tx: Tx, scope: string, key: string, statusCode: number, body: unknown): Promise<void> {
  await exec(tx, 'UPDATE idempotency_keys SET status_code = $3, response = $4::jsonb WHERE scope = $1 AND key = $2', [scope, key, statusCode, JSON.stringify(body)]);
}

/** Replaces the body of the record by `body` unless it already has the field `field`. */
export async function completeResponse(db: Queryable, scope: string, key: string, field: string, body: unknown): Promise<void> {
  await exec(db, 'UPDATE idempotency_keys SET response = $4::jsonb WHERE scope = $1 AND key = $2 AND NOT (response ? $3)', [scope, key, field, JSON.stringify(body)]);
}

/** Deletes up to `limit` records older than `retentionDays`; returns how many. */
export async function deleteOlderThan(db: Queryable, retentionDays: number, limit: number): Promise<number> {
  return exec(
    db,
    `DELETE FROM idempotency_keys WHERE (scope, key) IN (
       SELECT scope, key FROM idempotency_keys WHERE created_at < now() - make_interval(days => $1) LIMIT $2)`,
    [retentionDays, limit],
  );
}
