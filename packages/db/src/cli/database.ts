import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../embedded.js';

/** The database a CLI works on, and how to let it go. */
export interface CliDatabase {
  url: string;
  /** One French line for the operator: which database, and where its data lives. */
  description: string;
  /** True when the CLI uses the development embedded database (PGlite). */
  isEmbedded: boolean;
  release(): Promise<void>;
}

const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../../.data', import.meta.url));
const DEFAULT_EMBEDDED_PORT = 54329;

function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000);
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * Entry point helper (reads the environment): `DATABASE_DIRECT_URL`, then `DATABASE_URL`; without
 * either, the development embedded database `npm run dev` uses — reached through the running dev API
 * when it holds it, otherwise opened here from `DATA_DIR/pglite`.
 */
export async function openCliDatabase(env: NodeJS.ProcessEnv): Promise<CliDatabase> {
  const url = env.DATABASE_DIRECT_URL || env.DATABASE_URL;
  if (url) {
    const source = env.DATABASE_DIRECT_URL ? 'DATABASE_DIRECT_URL' : 'DATABASE_URL';
    return { url, description: `base : ${redact(url)} (${source})`, isEmbedded: false, release: async () => {} };
  }
  const host = '127.0.0.1';
  const port = env.EMBEDDED_DB_PORT ? Number(env.EMBEDDED_DB_PORT) : DEFAULT_EMBEDDED_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`EMBEDDED_DB_PORT invalide : « ${env.EMBEDDED_DB_PORT} »`);
  const dataDir = join(env.DATA_DIR || DEFAULT_DATA_DIR, 'pglite');
  const embeddedUrl = `postgres://postgres@${host}:${port}/postgres`;
  // PGlite opens its folder in one process only: while `npm run dev` runs, go through its socket.
  if (await isListening(host, port)) {
    return {
      url: embeddedUrl,
      description: `base embarquée de \`npm run dev\` (${dataDir}, servie sur ${host}:${port}) — pas de DATABASE_URL`,
      isEmbedded: true,
      release: async () => {},
    };
  }
  const embedded = await startEmbeddedPostgres({ dataDir, port, host });
  return {
    url: embedded.url,
    description: `base embarquée PGlite ouverte dans ${dataDir} — pas de DATABASE_URL (npm run dev la reprendra)`,
    isEmbedded: true,
    release: () => embedded.stop(),
  };
}

/** The URL without its password, safe to print. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(URL illisible)';
  }
}
