import { randomUUID } from 'node:crypto';

/** What one request got: its status, `timeout` (no answer within the client's patience) or `network` (no HTTP answer at all). */
export interface Answer {
  kind: 'catalog' | 'csrf' | 'cart' | 'checkout' | 'pay';
  /** When it was sent, `Date.now()`. */
  startedAt: number;
  ms: number;
  /** `pending` until it is answered (or given up). */
  status: number | 'timeout' | 'network' | 'pending';
  /** A 503 carries Retry-After and the JSON error body `service_unavailable`. */
  wellFormed503?: boolean;
}

/** One checkout attempt: its Idempotency-Key, and the order every answer for it named. */
export interface Attempt {
  key: string;
  email: string;
  /** Distinct order ids of the 201 answers for this key (exactly one expected). */
  orderIds: Set<string>;
  paid: boolean;
}

/** How the shoppers went. */
export interface LoadResult {
  answers: Answer[];
  attempts: Attempt[];
  /** A shopper's flow that ended another way than a paid order (an unexpected 4xx, a retry deadline). */
  failures: string[];
}

/** A load running: the answers so far, and the whole result once every shopper has finished. */
export interface ShopperLoad {
  readonly answers: readonly Answer[];
  finished: Promise<LoadResult>;
}

/** How long a client waits for an answer; longer is recorded as `timeout` (the bound asserted is tighter). */
const CLIENT_TIMEOUT_MS = 4000;
/** Pause between a shopper's requests, and before retrying after 503 or a timeout. */
const THINK_MS = 150;
const RETRY_MS = 500;
/** A shopper gives up on one step after this long (the test then fails on the missing order). */
const STEP_DEADLINE_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let ipCounter = 0;
/** A client address of its own per shopper session (sent as X-Forwarded-For to the API, which trusts loopback). */
function nextIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

interface Reply {
  status: Answer['status'];
  body: unknown;
  setCookie: string[];
}

/**
 * Light shopper load against the API at `apiUrl` until `stop` resolves: `shoppers` clients in
 * parallel, each going through catalog read, new guest session, cart write, checkout (with an
 * Idempotency-Key) and payment with the test provider. A step answered 503, `conflict` (the same key
 * still running) or not at all is retried with the same key until it succeeds; the shopper finishes
 * its current order after `stop`.
 */
export function runShoppers(options: { apiUrl: string; variantId: string; shoppers: number; stop: Promise<unknown> }): ShopperLoad {
  const result: LoadResult = { answers: [], attempts: [], failures: [] };
  let stopped = false;
  void options.stop.then(() => (stopped = true));

  async function send(kind: Answer['kind'], method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Reply> {
    const startedAt = Date.now();
    const answer: Answer = { kind, startedAt, ms: 0, status: 'pending' };
    result.answers.push(answer);
    try {
      const res = await fetch(`${options.apiUrl}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      const text = await res.text();
      answer.ms = Date.now() - startedAt;
      answer.status = res.status;
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Left as text: the assertions on the answer's shape will say so.
      }
      if (res.status === 503) {
        const code = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
        answer.wellFormed503 = res.headers.get('retry-after') !== null && code?.code === 'service_unavailable' && typeof code.message === 'string';
      }
      return { status: res.status, body: parsed, setCookie: res.headers.getSetCookie() };
    } catch (error) {
      answer.ms = Date.now() - startedAt;
      answer.status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
      return { status: answer.status, body: undefined, setCookie: [] };
    }
  }

  /** Sends until the answer is `expected`; 503, a timeout and `retryable` 409s are retried as they are. */
  async function until(expected: number, attempt: () => Promise<Reply>, what: string): Promise<Reply> {
    const deadline = Date.now() + STEP_DEADLINE_MS;
    for (;;) {
      const reply = await attempt();
      if (reply.status === expected) return reply;
      const retryable =
        reply.status === 503 || reply.status === 'timeout' || (reply.status === 409 && (reply.body as { error?: { code?: string } }).error?.code === 'conflict');
      if (!retryable) throw new Error(`${what} : ${String(reply.status)} ${JSON.stringify(reply.body)} `);
      if (Date.now() > deadline) throw new Error(`${what} : toujours ${String(reply.status)} après ${STEP_DEADLINE_MS} ms`);
      await sleep(RETRY_MS);
    }
  }

  async function buyOnce(shopper: number): Promise<void> {
    const ip = { 'x-forwarded-for': nextIp() };
    await send('catalog', 'GET', '/api/products?limit=6', ip);
    await sleep(THINK_MS);
    const csrf = await until(200, () => send('csrf', 'GET', '/api/csrf', ip), 'GET /api/csrf');
    const sid = csrf.setCookie.map((cookie) => cookie.split(';')[0]!).find((pair) => pair.startsWith('sid='));
    if (!sid) throw new Error('GET /api/csrf sans cookie de session');
    const session = { ...ip, cookie: sid, 'x-csrf-token': (csrf.body as { token: string }).token };
    await sleep(THINK_MS);
    await until(200, () => send('cart', 'POST', '/api/cart/items', session, { variantId: options.variantId, quantity: 1 }), 'ajout au panier');
    await sleep(THINK_MS);
    const attempt: Attempt = { key: randomUUID(), email: `faute-${shopper}-${randomUUID()}@exemple.fr`, orderIds: new Set(), paid: false };
    result.attempts.push(attempt);
    const body = {
      email: attempt.email,
      shippingAddress: { name: 'Léa Martin', line1: '12 rue des Lilas', postalCode: '69003', city: 'Lyon', country: 'FR', phone: '06 12 34 56 78' },
      shippingMethodId: 'colissimo',
      paymentProvider: 'test',
    };
    const placed = await until(201, () => send('checkout', 'POST', '/api/checkout', { ...session, 'idempotency-key': attempt.key }, body), 'commande');
    const order = (placed.body as { order: { id: string } }).order;
    attempt.orderIds.add(order.id);
    await sleep(THINK_MS);
    const payKey = randomUUID();
    await until(200, () => send('pay', 'POST', `/api/payments/test/${order.id}/confirm`, { ...session, 'idempotency-key': payKey }, { outcome: 'succeed' }), 'paiement');
    attempt.paid = true;
    // The same key once more: the order it answers must be the same one.
    const replay = await until(201, () => send('checkout', 'POST', '/api/checkout', { ...session, 'idempotency-key': attempt.key }, body), 'commande rejouée');
    attempt.orderIds.add((replay.body as { order: { id: string } }).order.id);
  }

  const shoppers = Promise.all(
    Array.from({ length: options.shoppers }, async (_, shopper) => {
      while (!stopped) {
        try {
          await buyOnce(shopper);
        } catch (error) {
          result.failures.push((error as Error).message);
        }
        await sleep(THINK_MS);
      }
    }),
  );
  return { answers: result.answers, finished: shoppers.then(() => result) };
}
