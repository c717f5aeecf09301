import pg from 'pg';

/** Settings for a node-postgres pool; nothing here is sent to the server as a startup parameter. */
export interface PoolConfig {
  url: string;
  max?: number;
  /** How long to wait for a connection (from the pool or a new one) before failing as unavailable. Default 2 s. */
  connectionTimeoutMs?: number;
  /**
   * How long the client waits for one query's answer before failing as unavailable and discarding the
   * connection (a frozen server or PgBouncer). Enforced by node-postgres, not sent to the server: the
   * server-side `statement_timeout` is set per role. Default 30 s (the API sets its own, much shorter).
   */
  queryTimeoutMs?: number;
  idleTimeoutMs?: number;
  applicationName?: string;
  /** Called for errors on idle clients (server restart, PgBouncer gone); the pool replaces them. */
  onIdleError?: (error: Error) => void;
}

export type Pool = pg.Pool;
/** A client checked out for one transaction; repo functions that must run in one take this type. */
export type Tx = pg.PoolClient & { readonly __tx: unique symbol };
/** Anything that can run a query: the pool or a transaction. */
export type Queryable = Pool | Tx;

/** Thrown for expected database outcomes the API maps to one HTTP status. */
export class DbError extends Error {
  constructor(
    readonly kind: 'conflict' | 'unavailable' | 'not_found' | 'invalid_input',
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'DbError';
  }
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
// Text the server cannot store: a NUL byte, an untranslatable character, a value too long.
const INVALID_INPUT_SQLSTATES = new Set(['22021', '22P05', '22001']);
// Shutdown, too many connections, connection failures, and the role's timeouts: statement_timeout
// (57014) and idle_in_transaction_session_timeout (25P03).
// PgBouncer reports its own failures (server down, query_wait_timeout) as 08P01.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '08P01', '57014', '25P03']);
// node-postgres' own message when queryTimeoutMs elapses.
const QUERY_TIMEOUT = 'Query read timeout';

/** Maps a driver error to `DbError` when it means "conflict" or "database unavailable"; other errors pass through. */
export function toDbError(error: unknown): unknown {
  if (error instanceof DbError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (code === '23505') return new DbError('conflict', 'Cette ressource existe déjà.', error);
  if (typeof code === 'string' && INVALID_INPUT_SQLSTATES.has(code)) {
    return new DbError('invalid_input', 'Texte invalide (caractère interdit ou trop long).', error);
  }
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code))) {
    return new DbError('unavailable', 'La base de données est injoignable.', error);
  }
  // "not queryable": a query on a client whose connection was lost earlier (inside a transaction).
  if (/timeout exceeded when trying to connect|Connection terminated|connection timeout|Query read timeout|not queryable/i.test(error.message)) {
    return new DbError('unavailable', 'La base de données est injoignable.', error);
  }
  return error;
}

/** Creates a pool safe for PgBouncer transaction pooling: unnamed statements only, no startup parameters. */
export function createPool(config: PoolConfig): Pool {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.max ?? 10,
    connectionTimeoutMillis: config.connectionTimeoutMs ?? 2000,
    query_timeout: config.queryTimeoutMs ?? 30_000,
    idleTimeoutMillis: config.idleTimeoutMs ?? 10_000,
    application_name: config.applicationName,
    allowExitOnIdle: false,
  });
  pool.on('error', (error) => config.onIdleError?.(error));
  return pool;
}

/** Runs one parameterised, unnamed query; driver errors come back mapped by `toDbError`. */
export async function query<R extends pg.QueryResultRow>(
  db: Queryable,
  text: string,
  values: readonly unknown[] = [],
): Promise<pg.QueryResult<R>> {
  try {
    return await db.query<R>(text, values as unknown[]);
  } catch (error) {
    throw toDbError(error);
  }
}

/** Returns all rows. */
export async function many<R extends pg.QueryResultRow>(db: Queryable, text: string, values?: readonly unknown[]): Promise<R[]> {
  return (await query<R>(db, text, values)).rows;
}

/** Returns the first row or undefined. */
export async function maybeOne<R extends pg.QueryResultRow>(
  db: Queryable,
  text: string,
  values?: readonly unknown[],
): Promise<R | undefined> {
  return (await query<R>(db, text, values)).rows[0];
}

/** Returns the first row; throws `DbError('not_found')` when there is none. */
export async function one<R extends pg.QueryResultRow>(db: Queryable, text: string, values?: readonly unknown[]): Promise<R> {
  const row = await maybeOne<R>(db, text, values);
  if (row === undefined) throw new DbError('not_found', 'Ressource introuvable.');
  return row;
}

/** Runs a statement and returns the number of rows it touched. */
export async function exec(db: Queryable, text: string, values?: readonly unknown[]): Promise<number> {
  return (await query(db, text, values)).rowCount ?? 0;
}

/** Runs `work` in one transaction on one checked-out client; rolls back on any error. */
export async function withTransaction<T>(pool: Pool, work: (tx: Tx) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw toDbError(error);
  }
  let broken = false;
  // A connection lost between two queries of the transaction is an 'error' event on the checked-out
  // client, which has no other listener: without this one it would be an uncaught exception. The
  // next query fails anyway, and the connection is discarded.
  const onLost = () => {
    broken = true;
  };
  client.on('error', onLost);
  try {
    await client.query('BEGIN');
    const result = await work(client as Tx);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // After a query timeout the connection may be stuck behind that query: a ROLLBACK would wait as
    // long again. Discarding the connection ends the transaction (PgBouncer drops the server side).
    broken ||= (error as Error)?.message === QUERY_TIMEOUT;
    if (!broken) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
    }
    throw toDbError(error);
  } finally {
    client.off('error', onLost);
    client.release(broken);
  }
}

/** Answers within `timeoutMs` whether the database runs a trivial query. */
export async function pingDb(pool: Pool, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DbError('unavailable', `pas de réponse en ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([query(pool, 'SELECT 1'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export { CATALOG_CHANNEL, listen, type Listener, type ListenOptions } from './listen.js';
