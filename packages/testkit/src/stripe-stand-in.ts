import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** A request the stand-in received. */
export interface StandInCall {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  /** The form body (POST) or the query string (GET). */
  form: URLSearchParams;
}

/** A Checkout Session as the stand-in keeps it (the fields of Stripe's object we use). */
export interface StandInSession {
  id: string;
  object: 'checkout.session';
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  locale: string | null;
  metadata: Record<string, string>;
  /** What the session's PaymentIntent will carry (payment_intent_data). */
  intent_metadata: Record<string, string>;
  statement_descriptor_suffix: string | null;
  success_url: string;
  cancel_url: string;
  expires_at: number;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  payment_intent: string | null;
  url: string;
}

/** A PaymentIntent as the stand-in keeps it. */
export interface StandInIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  metadata: Record<string, string>;
  status: 'succeeded';
  created: number;
  latest_charge: string;
}

/** A refund the stand-in made. */
export interface StandInRefund {
  id: string;
  object: 'refund';
  payment_intent: string;
  amount: number;
  status: 'succeeded';
}

/** A Stripe event, as sent to webhooks. */
export interface StandInEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  livemode: false;
  data: { object: Record<string, unknown> };
}

/**
 * A local stand-in for the Stripe API calls the shop makes (Checkout Sessions, PaymentIntents
 * list, refunds), with a minimal hosted payment page and webhooks signed with the SDK's scheme.
 */
export interface StripeStandIn {
  /** `http://127.0.0.1:<port>`, for STRIPE_API_BASE. */
  url: string;
  readonly calls: StandInCall[];
  readonly sessions: Map<string, StandInSession>;
  readonly intents: Map<string, StandInIntent>;
  readonly refunds: Map<string, StandInRefund>;
  /** Events sent (or, with webhooks dropped, not sent) to the webhook endpoint, in order. */
  readonly events: StandInEvent[];
  /** Where events are posted, signed with `secret`; until set, events are only recorded. */
  setWebhook(url: string, secret: string): void;
  /** false: events are recorded but never delivered (a lost webhook). */
  deliverWebhooks: boolean;
  /** Answers the next `count` API requests with HTTP 500 (to simulate Stripe failing). */
  failNext(count: number): void;
  /** Pays a session as the hosted page does; returns its events (delivered first unless webhooks are dropped). */
  pay(sessionId: string): Promise<StandInEvent[]>;
  /** Expires an open session; returns its event (delivered first unless webhooks are dropped). */
  expire(sessionId: string): Promise<StandInEvent>;
  /** The `Stripe-Signature` header Stripe would send for this payload. */
  sign(payload: string): string;
  /** Posts an event to the webhook endpoint as Stripe does; resolves with the HTTP status. */
  deliver(event: StandInEvent): Promise<number>;
  close(): Promise<void>;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Stripe's form encoding (`a[b][0][c]=v`) back into nested objects (arrays as index-keyed objects). */
function parseForm(form: URLSearchParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of form) {
    const path = key.replace(/\]/g, '').split('[');
    let node = root;
    for (const segment of path.slice(0, -1)) {
      node[segment] ??= {};
      node = node[segment] as Record<string, unknown>;
    }
    node[path.at(-1)!] = value;
  }
  return root;
}

const record = (value: unknown): Record<string, string> => (value && typeof value === 'object' ? (value as Record<string, string>) : {});

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const euros = (cents: number) => `${(cents / 100).toFixed(2).replace('.', ',')} €`;

function hostedPage(session: StandInSession): string {
  const open = session.status === 'open';
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Stripe Checkout (stand-in)</title></head><body>
<main><h1>Paiement sécurisé (stand-in Stripe)</h1>
<p>Montant : <strong data-testid="montant">${euros(session.amount_total)}</strong></p>
${open ? `<form method="post" action="/c/pay/${session.id}"><button type="submit">Payer ${euros(session.amount_total)}</button></form>` : `<p>Cette session est ${session.status === 'complete' ? 'déjà payée' : 'expirée'}.</p>`}
<p><a href="${escapeHtml(session.cancel_url)}">Retour à la boutique</a></p></main></body></html>`;
}

/** Starts the stand-in on loopback; it honours Idempotency-Key like Stripe (same key: same object back). */
export async function startStripeStandIn(): Promise<StripeStandIn> {
  const calls: StandInCall[] = [];
  const sessions: StripeStandIn['sessions'] = new Map();
  const intents: StripeStandIn['intents'] = new Map();
  const refunds: StripeStandIn['refunds'] = new Map();
  const events: StandInEvent[] = [];
  const byKey = new Map<string, unknown>();
  // Only used to sign events; its key never reaches a network.
  const signer = new Stripe('sk_test_stand_in', { telemetry: false });
  const inFlight = new Set<Promise<unknown>>();
  let webhook: { url: string; secret: string } | undefined;
  let failures = 0;
  let base = '';

  function send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': newId('req') });
    res.end(JSON.stringify(body));
  }

  const sign = (payload: string) => {
    if (!webhook) throw new Error('stand-in Stripe : setWebhook() d’abord');
    return signer.webhooks.generateTestHeaderString({ payload, secret: webhook.secret });
  };

  async function deliver(event: StandInEvent): Promise<number> {
    if (!webhook) throw new Error('stand-in Stripe : setWebhook() d’abord');
    const payload = JSON.stringify(event);
    const res = await fetch(webhook.url, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': sign(payload) }, body: payload });
    await res.arrayBuffer();
    return res.status;
  }

  async function emit(type: string, object: object): Promise<StandInEvent> {
    const event: StandInEvent = { id: newId('evt'), object: 'event', type, created: nowSeconds(), livemode: false, data: { object: { ...object } } };
    events.push(event);
    if (standIn.deliverWebhooks && webhook) await deliver(event);
    return event;
  }

  // Stripe sends charge.refunded after answering the refund call: delivered in the background.
  function emitLater(type: string, object: object): void {
    const delivery = emit(type, object).catch(() => undefined);
    inFlight.add(delivery);
    void delivery.finally(() => inFlight.delete(delivery));
  }

  async function pay(sessionId: string): Promise<StandInEvent[]> {
    const session = sessions.get(sessionId);
    if (!session || session.status !== 'open') throw new Error(`session ${sessionId} introuvable ou plus ouverte`);
    const intent: StandInIntent = {
      id: newId('pi'),
      object: 'payment_intent',
      amount: session.amount_total,
      amount_received: session.amount_total,
      currency: session.currency,
      metadata: session.intent_metadata,
      status: 'succeeded',
      created: nowSeconds(),
      latest_charge: newId('ch'),
    };
    intents.set(intent.id, intent);
    Object.assign(session, { status: 'complete', payment_status: 'paid', payment_intent: intent.id });
    return [await emit('checkout.session.completed', session), await emit('payment_intent.succeeded', intent)];
  }

  async function expire(sessionId: string): Promise<StandInEvent> {
    const session = sessions.get(sessionId);
    if (!session || session.status !== 'open') throw new Error(`session ${sessionId} introuvable ou plus ouverte`);
    session.status = 'expired';
    return emit('checkout.session.expired', session);
  }

  function createSession(form: URLSearchParams): StandInSession {
    const body = parseForm(form);
    const items = Object.values((body.line_items ?? {}) as Record<string, { quantity?: string; price_data?: { unit_amount?: string; currency?: string } }>);
    const intentData = (body.payment_intent_data ?? {}) as { metadata?: unknown; statement_descriptor_suffix?: string };
    const id = newId('cs_test');
    return {
      id,
      object: 'checkout.session',
      amount_total: items.reduce((sum, item) => sum + Number(item.price_data?.unit_amount ?? 0) * Number(item.quantity ?? 1), 0),
      currency: items[0]?.price_data?.currency ?? 'eur',
      client_reference_id: (body.client_reference_id as string | undefined) ?? null,
      locale: (body.locale as string | undefined) ?? null,
      metadata: record(body.metadata),
      intent_metadata: record(intentData.metadata),
      statement_descriptor_suffix: intentData.statement_descriptor_suffix ?? null,
      success_url: String(body.success_url ?? ''),
      cancel_url: String(body.cancel_url ?? ''),
      expires_at: Number(body.expires_at ?? nowSeconds() + 86_400),
      status: 'open',
      payment_status: 'unpaid',
      payment_intent: null,
      url: `${base}/c/pay/${id}`,
    };
  }

  function createRefund(form: URLSearchParams): StandInRefund | { error: string } {
    const intent = intents.get(form.get('payment_intent') ?? '');
    if (!intent) return { error: 'resource_missing' };
    const already = [...refunds.values()].filter((r) => r.payment_intent === intent.id).reduce((sum, r) => sum + r.amount, 0);
    const amount = form.has('amount') ? Number(form.get('amount')) : intent.amount_received - already;
    if (amount <= 0 || already + amount > intent.amount_received) return { error: 'charge_already_refunded' };
    const refund: StandInRefund = { id: newId('re'), object: 'refund', payment_intent: intent.id, amount, status: 'succeeded' };
    refunds.set(refund.id, refund);
    const refunded = already + amount;
    emitLater('charge.refunded', {
      id: intent.latest_charge,
      object: 'charge',
      amount: intent.amount_received,
      amount_refunded: refunded,
      currency: intent.currency,
      payment_intent: intent.id,
      refunded: refunded === intent.amount_received,
    });
    return refund;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, form: URLSearchParams): Promise<void> {
    const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
    calls.push({ method: req.method ?? '', path, idempotencyKey, authorization: req.headers.authorization, form });
    if (failures > 0) {
      failures -= 1;
      return send(res, 500, { error: { type: 'api_error', message: 'stand-in failure' } });
    }
    const replay = idempotencyKey ? byKey.get(`${path}:${idempotencyKey}`) : undefined;
    if (replay) return send(res, 200, replay);
    let body: unknown;
    const sessionMatch = /^\/v1\/checkout\/sessions\/([\w]+)$/.exec(path);
    if (req.method === 'POST' && path === '/v1/checkout/sessions') {
      const session = createSession(form);
      sessions.set(session.id, session);
      body = session;
    } else if (req.method === 'GET' && sessionMatch && sessions.has(sessionMatch[1]!)) {
      body = sessions.get(sessionMatch[1]!);
    } else if (req.method === 'GET' && path === '/v1/payment_intents') {
      const since = Number(form.get('created[gte]') ?? 0);
      const data = [...intents.values()].filter((intent) => intent.created >= since).sort((a, b) => b.created - a.created);
      body = { object: 'list', url: path, has_more: false, data };
    } else if (req.method === 'POST' && path === '/v1/refunds') {
      const refund = createRefund(form);
      if ('error' in refund) return send(res, 400, { error: { type: 'invalid_request_error', code: refund.error, message: `refund refused: ${refund.error}` } });
      body = refund;
    } else {
      return send(res, 404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path})` } });
    }
    if (idempotencyKey) byKey.set(`${path}:${idempotencyKey}`, body);
    send(res, 200, body);
  }

  // The hosted page: GET shows the amount, a pay button and the way back; POST pays and redirects.
  async function handlePage(req: IncomingMessage, res: ServerResponse, sessionId: string): Promise<void> {
    const session = sessions.get(sessionId);
    if (!session) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('session inconnue');
    }
    if (req.method === 'POST' && session.status === 'open') {
      await pay(session.id);
      res.writeHead(303, { Location: session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id) });
      return void res.end();
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(hostedPage(session));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const [path = '', query = ''] = (req.url ?? '').split('?');
    const page = /^\/c\/pay\/([\w]+)$/.exec(path);
    if (page) return handlePage(req, res, page[1]!);
    return handleApi(req, res, path, new URLSearchParams(req.method === 'GET' ? query : raw));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: { message: String(error) } }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const standIn: StripeStandIn = {
    url: base,
    calls,
    sessions,
    intents,
    refunds,
    events,
    deliverWebhooks: true,
    setWebhook(url, secret) {
      webhook = { url, secret };
    },
    failNext(count) {
      failures = count;
    },
    pay,
    expire,
    sign,
    deliver,
    async close() {
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return standIn;
}
