import type { CacheStore } from '@girlycrea/cache';
import { AppError } from '../../http/errors.js';

/** One party stock is held for (a session or customer, an e-mail address, a client IP) and its caps. */
export interface HoldScope {
  /** Redis key suffix naming the party; never a secret (hash session ids first). */
  key: string;
  maxOrders: number;
  maxUnits: number;
}

/** A reservation taken by `reserveHolds`: give it back with `releaseHolds` when no order came of it. */
export interface Hold {
  field: string;
  keys: string[];
  keyTtlMs: number;
  /** False when the same checkout (a replay) had already taken it: then the first request owns it. */
  isNew: boolean;
}

/** How long this hold lasts, and how long any party's hash must live (the longest payment window). */
export interface HoldTimes {
  holdMs: number;
  keyTtlMs: number;
}

// Each party is one Redis hash: one field per checkout (named by its idempotency key, so replays
// share it) whose integer value packs the hold's end (in seconds) and its units. A field counts
// until that end (the order's payment window); ended fields are swept when a cap is reached.
const UNITS_RANGE = 100_000;
const encode = (endMs: number, units: number) => Math.ceil(endMs / 1000) * UNITS_RANGE + units;
const endOf = (value: string) => Math.floor(Number(value) / UNITS_RANGE) * 1000;
const unitsOf = (value: string) => Number(value) % UNITS_RANGE;
const holdKey = (scope: HoldScope) => `hold:${scope.key}`;
const liveUnits = (hash: Map<string, string>, now: number) => [...hash.values()].reduce((sum, value) => sum + (endOf(value) > now ? unitsOf(value) : 0), 0);

type Attempt = { outcome: 'held' | 'already' } | { outcome: 'refused'; hash: Map<string, string> };

async function tryReserve(cache: CacheStore, scope: HoldScope, field: string, value: number, ttlMs: number): Promise<Attempt> {
  const key = holdKey(scope);
  const added = await cache.hincrCapped(key, field, { by: value, max: value, maxFields: scope.maxOrders, ttlMs });
  // The field exists: this checkout (a replay) already holds its units here.
  if (added.outcome === 'over_max' && added.previous > 0) return { outcome: 'already' };
  if (added.outcome !== 'applied') return { outcome: 'refused', hash: added.hash };
  // Each change answers the hash as it left it, so the change that crosses the cap sees it: never two passing together.
  if (liveUnits(added.hash, Date.now()) <= scope.maxUnits) return { outcome: 'held' };
  return { outcome: 'refused', hash: await cache.hdel(key, [field], ttlMs) };
}

async function reserveOne(cache: CacheStore, scope: HoldScope, field: string, value: number, ttlMs: number): Promise<Attempt> {
  const attempt = await tryReserve(cache, scope, field, value, ttlMs);
  if (attempt.outcome !== 'refused') return attempt;
  const now = Date.now();
  const ended = [...attempt.hash].filter(([, held]) => endOf(held) <= now).map(([name]) => name);
  if (ended.length === 0) return attempt;
  await cache.hdel(holdKey(scope), ended, ttlMs);
  return tryReserve(cache, scope, field, value, ttlMs);
}

/**
 * Reserves `units` for one checkout (`checkoutId`: its idempotency scope and key, hashed) against
 * every scope's caps — orders and units placed within their payment windows — all or nothing.
 * Over a cap: 429 rate_limited with Retry-After (until the oldest hold ends), and nothing kept.
 */
export async function reserveHolds(cache: CacheStore, scopes: HoldScope[], checkoutId: string, units: number, times: HoldTimes): Promise<Hold> {
  const value = encode(Date.now() + times.holdMs, units);
  const attempts = await Promise.all(scopes.map((scope) => reserveOne(cache, scope, checkoutId, value, times.keyTtlMs)));
  const hold = { field: checkoutId, keys: scopes.map(holdKey), keyTtlMs: times.keyTtlMs, isNew: attempts.every((attempt) => attempt.outcome === 'held') };
  const refused = attempts.flatMap((attempt) => (attempt.outcome === 'refused' ? [attempt.hash] : []));
  if (refused.length === 0) return hold;
  await releaseHolds(cache, { ...hold, keys: scopes.filter((_, i) => attempts[i]!.outcome === 'held').map(holdKey) });
  const now = Date.now();
  const waits = refused.map((hash) => Math.min(...[...hash.values()].map(endOf).filter((end) => end > now), now + times.holdMs) - now);
  const seconds = Math.max(1, Math.ceil(Math.max(...waits) / 1000));
  throw new AppError('rate_limited', `Trop de commandes en attente de paiement : réglez-les ou réessayez dans ${Math.ceil(seconds / 60)} min.`, {
    retryAfterSeconds: seconds,
  });
}

/** Gives a reservation back (its checkout placed no order); a replay's leaves the first request's in place. */
export async function releaseHolds(cache: CacheStore, hold: Hold): Promise<void> {
  if (!hold.isNew) return;
  await Promise.all(hold.keys.map((key) => cache.hdel(key, [hold.field], hold.keyTtlMs)));
}
