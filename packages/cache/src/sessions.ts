import { createHash, randomBytes } from 'node:crypto';
import { StoreFullError, type CacheStore } from './store.js';

/** What a session remembers; guests have no user. */
export interface SessionData {
  userId: string | null;
  role: 'customer' | 'admin' | null;
  csrfToken: string;
  createdAt: number;
  touchedAt: number;
  /** A guest session that holds nothing yet: it lives only the short guest lifetime until `keep`. */
  ephemeral?: boolean;
}

/** A loaded session. */
export interface Session {
  id: string;
  data: SessionData;
  /** The lifetime was just extended: the cookie should be re-sent. */
  refreshed?: boolean;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Whether `id` has the shape of a session id (256 random bits, base64url). */
export const isSessionId = (id: string): boolean => SESSION_ID.test(id);

/** A fresh unguessable session id (256 bits). */
export const newSessionId = (): string => randomBytes(32).toString('base64url');

/**
 * The CSRF token of a guest session id, derivable before the session is stored: knowing it takes
 * knowing the id, which only the HttpOnly cookie holds, and the token does not reveal the id.
 */
export const guestCsrfToken = (id: string): string => createHash('sha256').update(`csrf:${id}`).digest('base64url');

/**
 * Sessions in Redis with a sliding lifetime. Each user's session ids are indexed so a password
 * reset can end all of them. The TTL is refreshed at most once per `touchAfterMs` to keep reads cheap.
 */
export function createSessionStore(store: CacheStore, options: { ttlMs?: number; guestTtlMs?: number; touchAfterMs?: number } = {}) {
  const ttlMs = options.ttlMs ?? 7 * 24 * 3_600_000;
  const guestTtlMs = options.guestTtlMs ?? 3_600_000;
  const touchAfterMs = options.touchAfterMs ?? 3_600_000;
  const sessionKey = (id: string) => `sess:${id}`;
  const userKey = (userId: string) => `user-sess:${userId}`;

  async function save(id: string, data: SessionData): Promise<void> {
    await store.set(sessionKey(id), JSON.stringify(data), data.ephemeral ? guestTtlMs : ttlMs);
    if (data.userId) await store.sadd(userKey(data.userId), [id], ttlMs);
  }

  return {
    /** Starts a new session with a fresh unguessable id (256 bits) and CSRF token. */
    async create(user: Pick<SessionData, 'userId' | 'role'> = { userId: null, role: null }): Promise<Session> {
      const now = Date.now();
      const session: Session = {
        id: newSessionId(),
        data: { ...user, csrfToken: randomBytes(32).toString('base64url'), createdAt: now, touchedAt: now },
      };
      await save(session.id, session.data);
      return session;
    },

    /**
     * Stores the guest session whose id the browser already holds (sessions are created on the first
     * write, not when the cookie is handed out), short-lived until `keep`; its CSRF token is
     * `guestCsrfToken(id)`. Returns the stored session instead when there is one.
     */
    async startGuest(id: string): Promise<Session> {
      if (!SESSION_ID.test(id)) throw new RangeError('identifiant de session invalide');
      // A concurrent first write may have started (and kept) it already: never shorten that one.
      const existing = await this.get(id);
      if (existing) return existing;
      const now = Date.now();
      const session: Session = {
        id,
        data: { userId: null, role: null, csrfToken: guestCsrfToken(id), createdAt: now, touchedAt: now, ephemeral: true },
      };
      await save(id, session.data);
      return session;
    },

    /** Gives a short-lived guest session the full lifetime (something was stored for it). */
    async keep(session: Session): Promise<void> {
      if (!session.data.ephemeral) return;
      const { ephemeral: _dropped, ...data } = session.data;
      session.data = { ...data, touchedAt: Date.now() };
      await save(session.id, session.data);
    },

    /** Loads a live session (sliding its lifetime), or null for unknown, expired or malformed ids. */
    async get(id: string): Promise<Session | null> {
      if (!SESSION_ID.test(id)) return null;
      const raw = await store.get(sessionKey(id));
      if (raw === null) return null;
      const data = JSON.parse(raw) as SessionData;
      if (Date.now() - data.touchedAt <= touchAfterMs) return { id, data };
      data.touchedAt = Date.now();
      try {
        await save(id, data);
      } catch (error) {
        // A full store refuses the slide, not the read: the session keeps its current lifetime.
        if (error instanceof StoreFullError) return { id, data };
        throw error;
      }
      return { id, data, refreshed: true };
    },

    /** Replaces a session by a new id carrying `user` (login, privilege change): the old id stops working. */
    async rotate(oldId: string | undefined, user: Pick<SessionData, 'userId' | 'role'>): Promise<Session> {
      if (oldId) await store.del(sessionKey(oldId));
      return this.create(user);
    },

    /** Ends one session. */
    async destroy(id: string): Promise<void> {
      await store.del(sessionKey(id));
    },

    /** Ends every session of a user (password reset, account lock). */
    async destroyAllForUser(userId: string): Promise<void> {
      const ids = await store.smembers(userKey(userId));
      await store.del(...ids.map(sessionKey), userKey(userId));
    },
  };
}

/** The session store of one cache. */
export type SessionStore = ReturnType<typeof createSessionStore>;
