import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A PostgreSQL-compatible server embedded in this process (development only). */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite with the extensions the migrations need and serves it on a loopback socket,
 * so the app connects with the same driver and pool as in production. Data persists in `dataDir`.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  host?: string;
}): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir, { extensions: { unaccent, pg_trgm } });
  const server = new PGLiteSocketServer({ db, host, port: options.port, maxConnections: 16 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw new Error(
      `Impossible d’ouvrir la base embarquée sur ${host}:${options.port} (${(error as Error).message}). ` +
        'Un autre `npm run dev` tourne peut-être déjà ; arrêtez-le ou définissez DATABASE_URL.',
      { cause: error },
    );
  }
  return {
    url: `postgres://postgres@${host}:${options.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
