import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Cleanup } from '../cleanup.js';

const REDIS = 'redis://127.0.0.1:6379';
const OWNER_KEY = 'gc-bench:owner';

/**
 * Claims an empty logical database of the machine's Redis (the highest free number, so tests
 * on db 0 are never touched) and flushes it at cleanup. Returns the URL the API should use.
 */
export async function claimRedisDatabase(cleanup: Cleanup): Promise<string> {
  const probe = new Redis(REDIS, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  await probe.connect();
  try {
    const [, count] = (await probe.config('GET', 'databases')) as [string, string];
    const owner = randomBytes(6).toString('hex');
    for (let db = Number(count) - 1; db >= 1; db -= 1) {
      await probe.select(db);
      if ((await probe.dbsize()) !== 0) continue;
      if ((await probe.set(OWNER_KEY, owner, 'EX', 6 * 3600, 'NX')) !== 'OK') continue;
      cleanup.defer(`Redis db ${db}`, async () => {
        const client = new Redis(`${REDIS}/${db}`, { maxRetriesPerRequest: 1 });
        try {
          if ((await client.get(OWNER_KEY)) === owner) await client.flushdb();
        } finally {
          client.disconnect();
        }
      });
      return `${REDIS}/${db}`;
    }
    throw new Error(`aucune base Redis libre de 1 à ${Number(count) - 1} (toutes contiennent des clés)`);
  } finally {
    probe.disconnect();
  }
}
