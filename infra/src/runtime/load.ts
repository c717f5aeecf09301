import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:https';

/** What a bounded shopper load saw. */
export interface LoadReport {
  requests: number;
  orders: number;
  /** Answers by "METHOD path-template status". */
  statuses: Record<string, number>;
  /** Connection-level failures (reset, refused, hang up, timeout). */
  connectionErrors: string[];
  /** Answers outside what the step expects, with the start of their body. */
  unexpected: string[];
}

/** How the crowd shops: which product, variant and shipping method, for how long, how many of them. */
export interface LoadOptions extends Target {
  productSlug: string;
  variantId: string;
  shippingMethodId: string;
  paymentProvider: string;
  /** Shoppers, each from its own loopback address (127.0.0.10, .11…), as a crowd is to per-IP limits. */
  shoppers: number;
  /** Runs until this resolves and at least `minDurationMs` passed. */
  until: Promise<unknown>;
  minDurationMs: number;
  /** Shortest time a shopper takes for one round (list, page, add, and every third round checkout). */
  roundMs?: number;
}

/** An answer read whole. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  setCookie: string[];
}

/** Where Nginx listens and the name it serves (SNI and Host). */
export interface Target {
  host: string;
  port: number;
  servername: string;
}

/**
 * A bounded crowd of guest shoppers through Nginx: product list, product page, add to cart, and a
 * checkout every third round, each shopper on its own keep-alive connection. Every answer must be
 * the one a working shop gives; anything else is reported, never retried.
 */
export async function runShopperLoad(options: LoadOptions): Promise<LoadReport> {
  const report: LoadReport = { requests: 0, orders: 0, statuses: {}, connectionErrors: [], unexpected: [] };
  let done = false;
  const minimum = new Promise((resolve) => setTimeout(resolve, options.minDurationMs));
  void Promise.all([options.until, minimum]).finally(() => {
    done = true;
  });
  const roundMs = options.roundMs ?? 1500;

  async function shopper(index: number): Promise<void> {
    // Each new guest comes from her own loopback address, as a crowd would (the API limits orders per IP).
    const agentFor = (guest: number) =>
      new Agent({ keepAlive: true, maxSockets: 1, localAddress: `127.${10 + index}.${Math.floor(guest / 250) % 250}.${(guest % 250) + 1}`, rejectUnauthorized: false });
    let agent = agentFor(0);
    let cookie = '';
    let token = '';
    const call = async (method: string, path: string, label: string, expected: number[], body?: unknown, headers: Record<string, string> = {}) => {
      report.requests += 1;
      try {
        const answer = await requestOver(agent, options, method, path, { cookie, 'x-csrf-token': token, ...headers }, body);
        const key = `${method} ${label} ${answer.status}`;
        report.statuses[key] = (report.statuses[key] ?? 0) + 1;
        const sid = answer.setCookie.map((line) => /^sid=([^;]*)/.exec(line)?.[1]).find((value) => value !== undefined);
        if (sid !== undefined) cookie = `sid=${sid}`;
        if (!expected.includes(answer.status)) report.unexpected.push(`${key}: ${answer.body.slice(0, 200)}`);
        return answer;
      } catch (error) {
        report.connectionErrors.push(`${method} ${label}: ${(error as Error).message}`);
        return undefined;
      }
    };

    for (let round = 0; !done; round += 1) {
      const started = Date.now();
      if (round % 3 === 0) {
        // A new guest every third round: a fresh session and cart, from her own address.
        cookie = '';
        token = '';
        if (round > 0) {
          agent.destroy();
          agent = agentFor(round / 3);
        }
        const csrf = await call('GET', '/api/csrf', '/api/csrf', [200]);
        token = csrf ? ((JSON.parse(csrf.body) as { token?: string }).token ?? '') : '';
      }
      await call('GET', '/api/products?limit=12', '/api/products', [200]);
      await call('GET', `/produits/${options.productSlug}`, '/produits/:slug', [200]);
      await call('POST', '/api/cart/items', '/api/cart/items', [200, 201], { variantId: options.variantId, quantity: 1 });
      if (round % 3 === 2) {
        const order = await call('POST', '/api/checkout', '/api/checkout', [201], checkoutBody(options, index), { 'idempotency-key': randomUUID() });
        if (order?.status === 201) report.orders += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, roundMs - (Date.now() - started))));
    }
    agent.destroy();
  }

  await Promise.all(Array.from({ length: options.shoppers }, (_, index) => shopper(index)));
  return report;
}

function checkoutBody(options: LoadOptions, index: number): unknown {
  return {
    // One address per order, as a crowd would: one address may only hold a few unpaid orders.
    email: `foule-${index}-${randomUUID().slice(0, 8)}@girlycrea.test`,
    shippingAddress: { name: 'Camille Banc', line1: '12 rue des Lilas', postalCode: '75011', city: 'Paris', country: 'FR', phone: '06 12 34 56 78' },
    shippingMethodId: options.shippingMethodId,
    paymentProvider: options.paymentProvider,
  };
}

/** One HTTPS request to Nginx (certificate not checked: tests make their own), the body read whole. */
export async function requestOver(
  agent: Agent | undefined,
  target: Target,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent: agent ?? new Agent({ rejectUnauthorized: false }),
        host: target.host,
        port: target.port,
        servername: target.servername,
        method,
        path,
        timeout: 15_000,
        headers: {
          host: target.servername,
          ...Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== '')),
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, setCookie: res.headers['set-cookie'] ?? [] }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('pas de réponse en 15 s')));
    req.on('error', reject);
    req.end(payload);
  });
}
