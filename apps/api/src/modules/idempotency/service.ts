import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Queryable, Tx } from '@girlycrea/db';
import { z } from 'zod';
import { AppError } from '../../http/errors.js';
import * as repo from './repo.js';

/** The first answer to an idempotent request. */
export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

const Key = z.string().min(1, 'en-tête Idempotency-Key requis (1 à 255 caractères)').max(255, '255 caractères au plus').regex(/^[\x21-\x7e]+$/, 'caractères ASCII visibles uniquement');

/** The request's `Idempotency-Key` header, or 400 invalid_request when missing or malformed. */
export function idempotencyKey(req: Request): string {
  const result = Key.safeParse(req.get('idempotency-key') ?? '');
  if (!result.success) {
    throw new AppError('invalid_request', 'En-tête Idempotency-Key manquant ou invalide.', {
      details: result.error.issues.map((issue) => ({ path: 'Idempotency-Key', message: issue.message })),
    });
  }
  return result.data;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return value;
}

/** sha256 of the request's validated input with sorted keys: "the same body" whatever the key order or spacing. */
export function hashRequest(input: unknown): Buffer {
  return createHash('sha256').update(JSON.stringify(canonical(input) ?? null)).digest();
}

/**
 * Claims `key` in `scope` inside the caller's transaction. First caller: `undefined` (go on, then
 * `storeResponse`). A concurrent caller blocks on the uncommitted row until the first commits (then
 * gets the stored response) or rolls back (then it claims the key itself). Same key, other body:
 * 409 idempotency_conflict.
 */
export async function claimKey(tx: Tx, scope: string, key: string, requestHash: Buffer): Promise<StoredResponse | undefined> {
  return (await claimKeyWith(tx, scope, key, requestHash, () => 'NULL AS nothing')).replay;
}

/**
 * `claimKey`, also reading the columns `select` returns (it appends its values to `params`) in the
 * same statement, so the claim costs no round trip of its own. `row` is what they read; when the
 * key was already claimed, `replay` is set and `row` is not to be used.
 */
export async function claimKeyWith<R extends object>(
  tx: Tx,
  scope: string,
  key: string,
  requestHash: Buffer,
  select: (params: unknown[]) => string,
): Promise<{ replay?: StoredResponse; row: R }> {
  const params: unknown[] = [scope, key, requestHash];
  const row = await repo.insertKey<R>(tx, params, select(params));
  if (row.claimed) return { row };
  // A new statement: its snapshot sees the row the first request committed while this one waited.
  const stored = await repo.findKey(tx, scope, key);
  if (!stored.request_hash.equals(requestHash)) {
    throw new AppError('idempotency_conflict', 'Cette clé Idempotency-Key a déjà servi pour une autre requête.');
  }
  if (stored.status_code === null) throw new AppError('conflict', 'Une requête avec cette clé est encore en cours : réessayez.');
  return { replay: { statusCode: stored.status_code, body: stored.response }, row };
}

/** Records the response of the request that claimed the key, in its transaction. */
export async function storeResponse(tx: Tx, scope: string, key: string, response: StoredResponse): Promise<void> {
  await repo.setResponse(tx, scope, key, response.statusCode, response.body);
}

/** Deletes up to `limit` idempotency records older than `retentionDays`; returns how many. */
export async function purgeIdempotencyKeys(db: Queryable, retentionDays: number, limit = 1000): Promise<number> {
  return repo.deleteOlderThan(db, retentionDays, limit);
}

/**
 * Completes a stored response with what was only known after commit (the field `field`, e.g. the
 * payment started at the provider), once: a later replay then returns exactly this body.
 */
export async function completeStoredResponse(db: Queryable, scope: string, key: string, field: string, body: unknown): Promise<void> {
  await repo.completeResponse(db, scope, key, field, body);
}
