import { Redis } from 'ioredis';
import type { RedisRule } from './mapping.js';

/** What the Redis copy did. */
export interface RedisCopyReport {
  scanned: number;
  copied: number;
  carts: number;
  /** Keys skipped by a rule (sessions…), by rule pattern. */
  skipped: Record<string, number>;
  /** Keys that expired between SCAN and their read. */
  expired: number;
  /** Cart lines that could not be read (unknown variant id format, bad quantity). */
  badCartLines: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '(.*)').replace(/\?/g, '(.)');
  return new RegExp(`^${escaped}$`);
}

/** `{1}`, `{2}`… in `template` replaced by the glob's captures. */
function fill(template: string, captures: string[]): string {
  return template.replace(/\{(\d+)\}/g, (_, n: string) => captures[Number(n) - 1] ?? '');
}

type Value = { type: 'string'; value: string } | { type: 'hash'; value: Record<string, string> } | { type: 'list' | 'set'; value: string[] } | { type: 'zset'; value: string[] };

async function readKey(source: Redis, key: string): Promise<Value | null> {
  const type = await source.type(key);
  switch (type) {
    case 'string': {
      const value = await source.get(key);
      return value === null ? null : { type, value };
    }
    case 'hash': {
      const value = await source.hgetall(key);
      return Object.keys(value).length ? { type, value } : null;
    }
    case 'list':
    case 'set': {
      const value = type === 'list' ? await source.lrange(key, 0, -1) : await source.smembers(key);
      return value.length ? { type, value } : null;
    }
    case 'zset': {
      const value = await source.zrange(key, 0, -1, 'WITHSCORES');
      return value.length ? { type, value } : null;
    }
    case 'none':
      return null;
    default:
      throw new Error(`clé ${key} : type Redis ${type} non pris en charge (streams…) : ajoutez une règle « skip » pour elle`);
  }
}

function write(multi: ReturnType<Redis['multi']>, key: string, value: Value): void {
  multi.del(key);
  if (value.type === 'string') multi.set(key, value.value);
  else if (value.type === 'hash') multi.hset(key, value.value);
  else if (value.type === 'list') multi.rpush(key, ...value.value);
  else if (value.type === 'set') multi.sadd(key, ...value.value);
  else {
    const pairs: (string | number)[] = [];
    for (let i = 0; i < value.value.length; i += 2) pairs.push(value.value[i + 1]!, value.value[i]!);
    multi.zadd(key, ...pairs);
  }
}

/**
 * Copies the old Redis (Upstash, which serves no replication or --rdb) into ours with SCAN: each key
 * is read by type with its PTTL taken first, so the copy never outlives the original; keys that
 * expired in flight are skipped. The first matching rule decides: skip, copy, or convert a legacy
 * cart (JSON) into our cart hash (variant id → quantity, `discount`). Rerunning overwrites.
 */
export async function copyRedis(fromUrl: string, toUrl: string, rules: RedisRule[], log: (line: string) => void): Promise<RedisCopyReport> {
  const source = new Redis(fromUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const target = new Redis(toUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const report: RedisCopyReport = { scanned: 0, copied: 0, carts: 0, skipped: {}, expired: 0, badCartLines: 0 };
  const compiled = rules.map((rule) => ({ rule, pattern: globToRegExp(rule.match) }));
  try {
    await Promise.all([source.connect(), target.connect()]);
    let cursor = '0';
    do {
      const [next, keys] = await source.scan(cursor, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        report.scanned += 1;
        const match = compiled.map(({ rule, pattern }) => ({ rule, captures: pattern.exec(key) })).find((m) => m.captures);
        if (!match || 'skip' in match.rule) {
          const label = match?.rule.match ?? '(aucune règle)';
          report.skipped[label] = (report.skipped[label] ?? 0) + 1;
          continue;
        }
        const ttl = await source.pttl(key);
        const value = ttl === -2 ? null : await readKey(source, key);
        if (!value) {
          report.expired += 1;
          continue;
        }
        const captures = match.captures!.slice(1);
        const multi = target.multi();
        if ('cart' in match.rule) {
          const spec = match.rule.cart;
          if (value.type !== 'string') throw new Error(`clé ${key} : un panier JSON (chaîne) est attendu, c'est un ${value.type}`);
          const parsed = JSON.parse(value.value) as Record<string, unknown>;
          const items = Array.isArray(parsed[spec.items]) ? (parsed[spec.items] as Record<string, unknown>[]) : [];
          const fields: Record<string, string> = {};
          for (const item of items) {
            const variantId = String(item[spec.variantId] ?? '').toLowerCase();
            const quantity = Number(item[spec.quantity]);
            if (!UUID.test(variantId) || !Number.isInteger(quantity) || quantity < 1) {
              report.badCartLines += 1;
              continue;
            }
            fields[variantId] = String(Math.min(99, (Number(fields[variantId]) || 0) + quantity));
          }
          const code = spec.discountCode ? parsed[spec.discountCode] : undefined;
          if (typeof code === 'string' && code.trim()) fields.discount = code.trim().toUpperCase();
          const to = fill(spec.to, captures);
          multi.del(to);
          if (Object.keys(fields).length) multi.hset(to, fields);
          if (ttl > 0) multi.pexpire(to, ttl);
          report.carts += 1;
        } else {
          const to = match.rule.to ? fill(match.rule.to, captures) : key;
          write(multi, to, value);
          if (ttl > 0) multi.pexpire(to, ttl);
          report.copied += 1;
        }
        await multi.exec();
      }
      if (report.scanned % 5000 < keys.length) log(`redis : ${report.scanned} clés lues`);
    } while (cursor !== '0');
    log(`redis : ${report.scanned} clés lues, ${report.copied} copiées, ${report.carts} paniers convertis, ${report.expired} expirées en route, ignorées : ${JSON.stringify(report.skipped)}`);
    return report;
  } finally {
    source.disconnect();
    target.disconnect();
  }
}
