import pg from 'pg';

/** The channel migration 0013's triggers notify on: `product:<slug>` or `catalog` (everything). */
export const CATALOG_CHANNEL = 'catalog_changed';

/** What `listen` needs. */
export interface ListenOptions {
  /** A direct connection (never PgBouncer in transaction mode: LISTEN is session state). */
  url: string;
  channel: string;
  onNotify(payload: string): void;
  /**
   * Called on each (re)connection once LISTEN is in place. Notifications sent while disconnected are
   * lost, so a caller that caches must assume anything changed in the meantime.
   */
  onListening?(): void;
  /** A lost or refused connection; `listen` retries on its own (250 ms, doubling up to 5 s). */
  onError?(error: Error): void;
}

/** A running listener. */
export interface Listener {
  /** Resolves once the first LISTEN is in place. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

/**
 * LISTENs on `channel` over one dedicated connection and keeps doing so: a dropped connection (server
 * restart, network) is replaced after a short backoff, and `onListening` runs again.
 */
export function listen(options: ListenOptions): Listener {
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = FIRST_RETRY_MS;
  let timer: NodeJS.Timeout | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const retry = (error: Error) => {
    options.onError?.(error);
    const lost = client;
    client = undefined;
    lost?.removeAllListeners();
    lost?.on('error', () => undefined);
    void lost?.end().catch(() => undefined);
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: 5_000, keepAlive: true, application_name: `listen:${options.channel}` });
    client = next;
    next.on('notification', (message) => {
      if (message.channel === options.channel) options.onNotify(message.payload ?? '');
    });
    next.on('error', retry);
    next.on('end', () => {
      if (client === next) retry(new Error(`connexion LISTEN ${options.channel} fermée par le serveur`));
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(options.channel)}`);
    } catch (error) {
      if (client === next) retry(error as Error);
      return;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    retryMs = FIRST_RETRY_MS;
    options.onListening?.();
    markReady();
  };

  void connect();
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
