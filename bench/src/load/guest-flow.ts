import type autocannon from 'autocannon';
import type { Tally } from './run-load.js';

/** A guest session as a browser holds it: the `sid` cookie and its CSRF token, and the shopper's IP. */
export interface GuestSession {
  cookie: string;
  token: string;
  /** Sent as X-Forwarded-For (the API trusts its loopback proxy): each shopper her own address, as in a real crowd. */
  ip: string;
}

let shoppers = 0;

/** A new shopper's client IP: 10.0.0.1, 10.0.0.2, … — the API's per-IP limits see a crowd, never one client. */
export function nextShopperIp(): string {
  shoppers += 1;
  const n = shoppers % 0xff_ffff;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
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

/** Reads the session from a `GET /api/csrf` answer (Set-Cookie + `{ token }`) sent from `ip`. */
export function parseGuestSession(setCookie: string[], body: string, ip: string): GuestSession | undefined {
  const sid = setCookie.map((line) => line.split(';')[0]?.trim() ?? '').find((pair) => pair.startsWith('sid='));
  const token = (JSON.parse(body) as { token?: unknown }).token;
  return sid && typeof token === 'string' ? { cookie: sid, token, ip } : undefined;
}

/** Opens one guest session with `GET /api/csrf`, from a new shopper's IP. */
export async function createGuestSession(origin: string): Promise<GuestSession> {
  const ip = nextShopperIp();
  const response = await fetch(`${origin}/api/csrf`, { headers: { 'x-forwarded-for': ip } });
  const session = parseGuestSession(response.headers.getSetCookie(), await response.text(), ip);
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

/** Headers of a state-changing request of `session` (cookie + CSRF token, its shopper's IP), with a JSON body. */
export function sessionHeaders(session: GuestSession, extra: Record<string, string> = {}): Record<string, string> {
  return { cookie: session.cookie, 'x-csrf-token': session.token, 'x-forwarded-for': session.ip, 'content-type': 'application/json', ...extra };
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
    let openingIp = '';

    const setupRequest = (request: autocannon.Request): autocannon.Request => {
      session ??= options.pool.shift();
      openingSession = session === undefined;
      if (!session) {
        openingIp = nextShopperIp();
        return { ...request, method: 'GET', path: '/api/csrf', body: '', headers: { 'x-forwarded-for': openingIp } };
      }
      return { ...request, ...options.steps[stepIndex]!.build(session) };
    };

    const onResponse = (status: number, body: string, _context: object, headers: autocannon.Request['headers']) => {
      if (openingSession) {
        extraRequests += 1;
        session = status === 200 ? parseGuestSession(headerValues(headers, 'set-cookie'), body, openingIp) : undefined;
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
