import { createShopClient, type ShopClient, type ShopResponse } from './shop-client.js';

/** A customer account kept for smoke checks (its cart is emptied of what the check adds). */
export interface SmokeAccount {
  email: string;
  password: string;
}

/** One step of the smoke check and how it went. */
export interface SmokeStep {
  step: string;
  ok: boolean;
  ms: number;
  detail: string;
}

/** Thrown by `smoke` at the first failing step; `steps` holds what ran. */
export class SmokeFailure extends Error {
  constructor(
    message: string,
    readonly steps: SmokeStep[],
  ) {
    super(message);
    this.name = 'SmokeFailure';
  }
}

function expectStatus(res: ShopResponse, status: number, what: string): void {
  if (res.status !== status) {
    const error = res.body.error as { code?: string; message?: string } | undefined;
    throw new Error(`${what} : HTTP ${res.status} au lieu de ${status}${error ? ` (${error.code} : ${error.message})` : ''}`);
  }
}

/**
 * A non-destructive end-to-end check of a live shop: health, catalog, a product page, sign-in with
 * the smoke account, add to cart, the priced summary up to payment (no order is placed, no stock is
 * held), then the line is removed and the session closed. Prints each step; stops at the first failure.
 */
export async function smoke(baseUrl: string, account: SmokeAccount | null, log: (line: string) => void): Promise<SmokeStep[]> {
  const shop: ShopClient = createShopClient(baseUrl);
  const steps: SmokeStep[] = [];
  const run = async <T>(step: string, work: () => Promise<[T, string]>): Promise<T> => {
    const started = performance.now();
    try {
      const [value, detail] = await work();
      const done = { step, ok: true, ms: Math.round(performance.now() - started), detail };
      steps.push(done);
      log(`✓ ${step} (${done.ms} ms) ${detail}`);
      return value;
    } catch (error) {
      const failed = { step, ok: false, ms: Math.round(performance.now() - started), detail: (error as Error).message };
      steps.push(failed);
      log(`✗ ${step} : ${failed.detail}`);
      throw new SmokeFailure(`vérification arrêtée à « ${step} » : ${failed.detail}`, steps);
    }
  };

  await run('santé', async () => {
    const res = await shop.request('GET', '/api/health');
    expectStatus(res, 200, 'GET /api/health');
    return [null, `base et Redis : ${JSON.stringify(res.body.checks ?? res.body.status)}`];
  });
  const slugs = await run('catalogue', async () => {
    const res = await shop.request('GET', '/api/products?limit=5');
    expectStatus(res, 200, 'GET /api/products');
    const items = (res.body.items ?? []) as { slug: string }[];
    if (items.length === 0) throw new Error('le catalogue est vide');
    return [items.map((item) => item.slug), `${res.body.total} produits`];
  });
  const variant = await run('page produit', async () => {
    for (const slug of slugs) {
      const res = await shop.request('GET', `/api/products/${encodeURIComponent(slug)}`);
      expectStatus(res, 200, `GET /api/products/${slug}`);
      const found = ((res.body.variants ?? []) as { id: string; priceCents: number; inStock: boolean }[]).find((v) => v.inStock);
      if (found) return [found, `${slug}, variante à ${(found.priceCents / 100).toFixed(2)} €`];
    }
    throw new Error('aucune variante en stock parmi les premiers produits');
  });
  await run('session', async () => {
    await shop.openSession();
    return [null, 'jeton CSRF reçu'];
  });
  if (account) {
    await run('connexion du compte de test', async () => {
      const res = await shop.request('POST', '/api/auth/login', account);
      expectStatus(res, 200, 'POST /api/auth/login');
      await shop.openSession();
      return [null, account.email];
    });
  } else {
    log('- connexion sautée (SMOKE_EMAIL et SMOKE_PASSWORD absents)');
  }
  await run('ajout au panier', async () => {
    const res = await shop.request('POST', '/api/cart/items', { variantId: variant.id, quantity: 1 });
    expectStatus(res, 200, 'POST /api/cart/items');
    const items = (res.body.items ?? []) as { variantId: string }[];
    if (!items.some((item) => item.variantId === variant.id)) throw new Error("l'article n'apparaît pas dans le panier");
    return [null, `${items.length} ligne(s)`];
  });
  await run('récapitulatif jusqu’au paiement', async () => {
    const methods = await shop.request('GET', '/api/shipping-methods');
    expectStatus(methods, 200, 'GET /api/shipping-methods');
    const method = ((Array.isArray(methods.body) ? methods.body : methods.body.items) as { id: string }[] | undefined)?.[0];
    if (!method) throw new Error('aucun mode de livraison');
    const res = await shop.request('GET', `/api/cart?shippingMethodId=${encodeURIComponent(method.id)}`);
    expectStatus(res, 200, 'GET /api/cart');
    if (typeof res.body.totalCents !== 'number' || res.body.totalCents <= 0) throw new Error('total du panier absent');
    return [null, `total ${(res.body.totalCents / 100).toFixed(2)} € livraison ${method.id} comprise (aucune commande créée)`];
  });
  await run('annulation', async () => {
    const res = await shop.request('DELETE', `/api/cart/items/${variant.id}`);
    expectStatus(res, 200, 'DELETE /api/cart/items');
    if (account) expectStatus(await shop.request('POST', '/api/auth/logout'), 204, 'POST /api/auth/logout');
    return [null, 'article retiré du panier'];
  });
  return steps;
}
