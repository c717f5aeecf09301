import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stand-in received. */
export interface StandInCall {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  form: URLSearchParams;
}

/** A local HTTP stand-in for the Stripe API (PaymentIntents and refunds), on loopback. */
export interface StripeStandIn {
  /** `http://127.0.0.1:<port>`, for STRIPE_API_BASE. */
  url: string;
  readonly calls: StandInCall[];
  /** PaymentIntents created, by id. */
  readonly intents: Map<string, { id: string; amount: number; currency: string; metadata: Record<string, string> }>;
  /** Refunds created, by id. */
  readonly refunds: Map<string, { id: string; payment_intent: string }>;
  /** Answers the next `count` requests with HTTP 500 (to simulate Stripe failing). */
  failNext(count: number): void;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/** Starts the stand-in; it honours Idempotency-Key like Stripe (same key: same object back). */
export async function startStripeStandIn(): Promise<StripeStandIn> {
  const calls: StandInCall[] = [];
  const intents: StripeStandIn['intents'] = new Map();
  const refunds: StripeStandIn['refunds'] = new Map();
  const byKey = new Map<string, unknown>();
  let failures = 0;

  function send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': id('req') });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const form = new URLSearchParams(raw);
    const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
    const path = (req.url ?? '').split('?')[0]!;
    calls.push({ method: req.method ?? '', path, idempotencyKey, authorization: req.headers.authorization, form });
    if (failures > 0) {
      failures -= 1;
      return send(res, 500, { error: { type: 'api_error', message: 'stand-in failure' } });
    }
    const replay = idempotencyKey ? byKey.get(`${path}:${idempotencyKey}`) : undefined;
    if (replay) return send(res, 200, replay);
    let body: unknown;
    if (req.method === 'POST' && path === '/v1/payment_intents') {
      const metadata: Record<string, string> = {};
      for (const [name, value] of form) {
        const match = /^metadata\[(.+)\]$/.exec(name);
        if (match) metadata[match[1]!] = value;
      }
      const intent = { id: id('pi'), amount: Number(form.get('amount')), currency: form.get('currency') ?? '', metadata };
      intents.set(intent.id, intent);
      body = { ...intent, object: 'payment_intent', status: 'requires_payment_method', client_secret: `${intent.id}_secret_${randomBytes(8).toString('hex')}` };
    } else if (req.method === 'POST' && path === '/v1/refunds') {
      const refund = { id: id('re'), payment_intent: form.get('payment_intent') ?? '' };
      refunds.set(refund.id, refund);
      body = { ...refund, object: 'refund', status: 'succeeded', amount: intents.get(refund.payment_intent)?.amount ?? 0 };
    } else {
      return send(res, 404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path})` } });
    }
    if (idempotencyKey) byKey.set(`${path}:${idempotencyKey}`, body);
    send(res, 200, body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: { message: String(error) } }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    intents,
    refunds,
    failNext(count) {
      failures = count;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
