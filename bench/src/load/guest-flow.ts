import type autocannon from 'autocannon';
import type { Tally } from './run-load.js';

/** A guest session as a browser holds it: the `sid` cookie and its CSRF token. */
export interface GuestSession {
  cookie: string;
  token: string;
}

/** One request of a flow; the flow's last step completes an operation (e.g. an order). */
export interface FlowStep {
  name: string;
  build(session: GuestSession): Pick<autocannon.Request, 'method' | 'path' | 'body' | 'headers'>;
}

type Headers = Record<string, string | string[] | undefined>;

function headerValues(headers: Headers | undefined, name: string): string[] {
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Reads the session from a `GET /api/csrf` answer (Set-Cookie + `{ token }`). */
export function parseGuestSession(setCookie: string[], body: string): GuestSession | undefined {
  const sid = setCookie.map((line) => line.split(';')[0]?.trim() ?? '').find((pair) => pair.startsWith('sid='));
  const token = (JSON.parse(body) as { token?: unknown }).token;
  return sid && typeof token === 'string' ? { cookie: sid, token } : undefined;
}

/** Opens one guest session with `GET /api/csrf`. */
export async function createGuestSession(origin: string): Promise<GuestSession> {
  const response = await fetch(`${origin}/api/csrf`);
  const session = parseGuestSession(response.headers.getSetCookie(), await response.text());
  if (!response.ok || !session) throw new Error(`GET /api/csrf a répondu ${response.status} sans session`);
  return session;
}

/** Opens `count` guest sessions, 32 at a time. */
export async function createGuestSessions(origin: string, count: number): Promise<GuestSession[]> {
  const sessions: GuestSession[] = [];
  while (sessions.length < count) {
    const batch = Math.min(32, count - sessions.length);
    sessions.push(...(await Promise.all(Array.from({ length: batch }, () => createGuestSession(origin)))));
  }
  return sessions;
}

/** Headers of a state-changing request of `session` (cookie + CSRF token), with a JSON body. */
export function sessionHeaders(session: GuestSession, extra: Record<string, string> = {}): Record<string, string> {
  return { cookie: session.cookie, 'x-csrf-token': session.token, 'content-type': 'application/json', ...extra };
}

const MAX_FAILURES_KEPT = 5;

/**
 * Makes each autocannon connection behave like one shopper: it takes a guest session from `pool`
 * (or opens one with GET /api/csrf when the pool is empty), runs `steps` in order, and moves to a
 * fresh session after `rotateAfter` operations so carts stay shopper-sized. A failed step starts
 * the next operation over.
 */
export function guestFlow(options: { pool: GuestSession[]; steps: FlowStep[]; rotateAfter: number }): {
  setupClient: (client: autocannon.Client) => void;
  tally: Tally;
} {
  let operations = 0;
  let extraRequests = 0;
  const failures = new Map<string, number>();

  const setupClient = (client: autocannon.Client) => {
    let session: GuestSession | undefined;
    let stepIndex = 0;
    let opsOnSession = 0;
    let openingSession = false;

    const setupRequest = (request: autocannon.Request): autocannon.Request => {
      session ??= options.pool.shift();
      openingSession = session === undefined;
      if (!session) return { ...request, method: 'GET', path: '/api/csrf', body: '', headers: {} };
      return { ...request, ...options.steps[stepIndex]!.build(session) };
    };

    const onResponse = (status: number, body: string, _context: object, headers: autocannon.Request['headers']) => {
      if (openingSession) {
        extraRequests += 1;
        session = status === 200 ? parseGuestSession(headerValues(headers, 'set-cookie'), body) : undefined;
        return;
      }
      const step = options.steps[stepIndex]!;
      if (status < 200 || status >= 300) {
        const key = `${step.name} → ${status} ${body.slice(0, 300)}`;
        if (failures.size < MAX_FAILURES_KEPT || failures.has(key)) failures.set(key, (failures.get(key) ?? 0) + 1);
        stepIndex = 0;
        return;
      }
      stepIndex += 1;
      if (stepIndex < options.steps.length) return;
      stepIndex = 0;
      operations += 1;
      opsOnSession += 1;
      if (opsOnSession >= options.rotateAfter) {
        session = undefined;
        opsOnSession = 0;
      }
    };

    client.setRequests([{ setupRequest, onResponse }]);
  };

  return {
    setupClient,
    tally: {
      reset() {
        operations = 0;
        extraRequests = 0;
        failures.clear();
      },
      read: () => ({ operations, extraRequests, failures: [...failures].map(([key, count]) => `${count}× ${key}`) }),
    },
  };
}
