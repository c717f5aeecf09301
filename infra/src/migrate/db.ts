import pg from 'pg';

/** A direct PostgreSQL connection for one migration step (never through PgBouncer: replication needs session state). */
export type Client = pg.Client;

/** Opens a direct connection; the error says which database could not be reached. */
export async function connect(url: string, what: string): Promise<Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'girlycrea-migrate' });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(`connexion impossible à ${what} (${redact(url)}) : ${(error as Error).message}`, { cause: error });
  }
  return client;
}

/** Runs `work` with a connection opened for it and always closed after. */
export async function withClient<T>(url: string, what: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(url, what);
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A URL with its password hidden, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(URL illisible)';
  }
}

/** The database name of a PostgreSQL URL. */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** `url` with another database name. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
