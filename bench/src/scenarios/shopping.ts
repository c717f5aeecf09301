import { randomUUID } from 'node:crypto';
import { pick, type Fixtures } from '../fixtures.js';
import { createGuestSession, createGuestSessions, guestFlow, sessionHeaders, type FlowStep, type GuestSession } from '../load/guest-flow.js';
import type { PlanResult, Scenario, ScenarioContext, ServerKind } from './types.js';

// A shopper adds a handful of items per visit and places one order: each session (with its own IP
// and e-mail address) is dropped after this many operations. The API's abuse limits stay on.
const ROTATE_AFTER = 10;
const ORDERS_PER_SHOPPER = 1;
const CHECKOUT_ADDRESS = { name: 'Camille Banc', line1: '12 rue des Lilas', postalCode: '75011', city: 'Paris', country: 'FR', phone: '06 12 34 56 78' };

interface Answer {
  status: number;
  body: string;
}

async function post(origin: string, path: string, session: GuestSession, body: unknown, extra: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${origin}${path}`, { method: 'POST', headers: sessionHeaders(session, extra), body: JSON.stringify(body) });
  return { status: response.status, body: await response.text() };
}

/** Why a preflight answer means "skip": the route is not there yet, or the endpoint refuses a valid request. */
function skipReason(route: string, answer: Answer): string | undefined {
  if (answer.status >= 200 && answer.status < 300) return undefined;
  if (answer.status === 404 && answer.body.includes('Aucune route')) return `${route} n’existe pas encore (404 « Aucune route »)`;
  return `${route} a répondu ${answer.status} à une requête valide : ${answer.body.slice(0, 300)}`;
}

function addItemStep(fixtures: Fixtures): FlowStep {
  return {
    name: 'POST /api/cart/items',
    build: (session) => ({
      method: 'POST',
      path: '/api/cart/items',
      headers: sessionHeaders(session),
      body: JSON.stringify({ variantId: pick(fixtures.variantIds), quantity: 1 }),
    }),
  };
}

function checkoutBody(shippingMethodId: string, session: GuestSession): string {
  const email = `cliente-${session.ip.replaceAll('.', '-')}@girlycrea.test`;
  return JSON.stringify({ email, shippingAddress: CHECKOUT_ADDRESS, shippingMethodId, paymentProvider: 'stripe' });
}

async function shippingMethodOf(context: ScenarioContext): Promise<string | undefined> {
  const response = await fetch(`${context.apiOrigin}/api/shipping-methods`);
  if (response.ok) {
    const methods = (await response.json()) as { id?: string }[];
    if (methods[0]?.id) return methods[0].id;
  }
  return context.fixtures.shippingMethodId;
}

/** Add-to-cart: one guest session per connection (GET /api/csrf, then cookie + X-CSRF-Token). */
export function addToCartScenario(id: string, server: ServerKind): Scenario {
  return {
    id,
    title: 'Ajout au panier',
    server,
    kind: 'cart',
    async plan(context): Promise<PlanResult> {
      const session = await createGuestSession(context.origin);
      const reason = skipReason('POST /api/cart/items', await post(context.origin, '/api/cart/items', session, { variantId: context.fixtures.variantIds[0], quantity: 1 }));
      if (reason) return { skip: reason };
      const pool = await createGuestSessions(context.origin, context.quick ? 640 : 2560);
      const flow = guestFlow({ pool, steps: [addItemStep(context.fixtures)], rotateAfter: ROTATE_AFTER });
      return {
        ...flow,
        unit: 'ajouts',
        note: `${id} : sessions invitées ouvertes d’avance (GET /api/csrf), une par connexion et par IP, renouvelée tous les ${ROTATE_AFTER} ajouts ; limites anti-abus actives.`,
      };
    },
  };
}

/** Checkout: add one item, then POST /api/checkout with a fresh Idempotency-Key; counts orders per second. */
export function checkoutScenario(id: string, server: ServerKind): Scenario {
  return {
    id,
    title: 'Commande (ajout + checkout)',
    server,
    kind: 'checkout',
    async plan(context): Promise<PlanResult> {
      const session = await createGuestSession(context.origin);
      const added = skipReason('POST /api/cart/items', await post(context.origin, '/api/cart/items', session, { variantId: context.fixtures.variantIds[0], quantity: 1 }));
      if (added) return { skip: `le checkout a besoin du panier : ${added}` };
      const shippingMethodId = await shippingMethodOf(context);
      if (!shippingMethodId) return { skip: 'aucun mode de livraison (GET /api/shipping-methods ni table shipping_methods)' };
      const answer = await post(context.origin, '/api/checkout', session, JSON.parse(checkoutBody(shippingMethodId, session)), { 'idempotency-key': randomUUID() });
      const reason = skipReason('POST /api/checkout', answer);
      if (reason) return { skip: reason };
      const checkout: FlowStep = {
        name: 'POST /api/checkout',
        build: (guest) => ({ method: 'POST', path: '/api/checkout', headers: sessionHeaders(guest, { 'idempotency-key': randomUUID() }), body: checkoutBody(shippingMethodId, guest) }),
      };
      const pool = await createGuestSessions(context.origin, context.quick ? 256 : 1024);
      const flow = guestFlow({ pool, steps: [addItemStep(context.fixtures), checkout], rotateAfter: ORDERS_PER_SHOPPER });
      return {
        ...flow,
        unit: 'commandes',
        note: `${id} : une commande = POST /api/cart/items + POST /api/checkout (Idempotency-Key unique, stock illimité), limites anti-abus actives ; chaque cliente (session, IP, e-mail) passe ${ORDERS_PER_SHOPPER} commande ; le débit compte les commandes créées.`,
      };
    },
  };
}
