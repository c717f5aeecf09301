import {
  Address,
  AddressList,
  Cart,
  CategoryTree,
  CheckoutResponse,
  CsrfBody,
  ErrorBody,
  FieldIssues,
  Order,
  OrderBody,
  OrderList,
  ProductDetail,
  ProductList,
  ProvidersResponse,
  ShippingMethodList,
  StockShortages,
  UserBody,
} from '@girlycrea/contract';
import { describe, expect, it } from 'vitest';
import { uniqueLabel } from '@girlycrea/testkit';
import type { TestApp } from '../testing.js';
import { addToCart, checkoutBody, openBrowser, postCheckout, refreshCsrf, useShopTest, type VariantPicker } from '../testing/shop.js';

let t: TestApp;
let pick: VariantPicker;
useShopTest((app, picker) => ((t = app), (pick = picker)));

// The storefront decodes these answers with the contract's schemas and shows an error page when one
// does not fit: each answer a shopper's journey meets must parse, not merely look alike.
describe('the API answers what packages/contract says', () => {
  it('catalog, cart, checkout, payment, orders, account and addresses all parse with the schemas the storefront decodes with', async () => {
    const list = ProductList.parse((await t.http.get('/api/products?limit=5')).body);
    expect(list.items.length).toBeGreaterThan(0);
    const product = ProductDetail.parse((await t.http.get(`/api/products/${list.items[0]!.slug}`)).body);
    expect(product.variants.length).toBeGreaterThan(0);
    expect(CategoryTree.parse((await t.http.get('/api/categories')).body).length).toBeGreaterThan(0);
    expect(ShippingMethodList.parse((await t.http.get('/api/shipping-methods')).body).map((m) => m.id)).toContain('colissimo');
    expect(ProvidersResponse.parse((await t.http.get('/api/payments/providers')).body).providers).toContain('test');

    const guest = await openBrowser(t.app);
    const email = `${uniqueLabel('contrat')}@exemple.fr`;
    const registered = await guest.agent.post('/api/auth/register').set('X-CSRF-Token', guest.csrf).send({ email, password: 'Un-mot-de-passe-2026', name: 'Léa Martin' });
    expect(UserBody.parse(registered.body).user.email).toBe(email);
    const browser = await refreshCsrf(guest);
    expect(CsrfBody.parse((await browser.agent.get('/api/csrf')).body).token).toBe(browser.csrf);

    const [variant] = await pick(1, 10);
    await addToCart(browser, variant!.id, 2);
    const cart = Cart.parse((await browser.agent.get('/api/cart?shippingMethodId=colissimo')).body);
    expect(cart.items.map((item) => [item.variantId, item.quantity])).toEqual([[variant!.id, 2]]);

    const saved = await browser.agent.post('/api/me/addresses').set('X-CSRF-Token', browser.csrf).send(checkoutBody().shippingAddress);
    expect(Address.parse(saved.body).city).toBe('Lyon');
    expect(AddressList.parse((await browser.agent.get('/api/me/addresses')).body).items).toHaveLength(1);

    const placed = CheckoutResponse.parse((await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ email }))).body);
    expect(placed.order.lines[0]!.variantId).toBe(variant!.id);
    const paid = await browser.agent.post(`/api/payments/test/${placed.order.id}/confirm`).set('X-CSRF-Token', browser.csrf).set('Idempotency-Key', uniqueLabel('k')).send({ outcome: 'succeed' });
    expect(OrderBody.parse(paid.body).order.status).toBe('paid');
    expect(Order.parse((await browser.agent.get(`/api/orders/${placed.order.id}`)).body).paidAt).toBeDefined();
    expect(OrderList.parse((await browser.agent.get('/api/orders')).body).items.map((o) => o.id)).toContain(placed.order.id);
  });

  it('error answers carry the error body, field issues and stock shortages the storefront reads', async () => {
    const browser = await openBrowser(t.app);
    const invalid = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ email: 'pas-une-adresse' }));
    expect(invalid.status).toBe(400);
    const issues = FieldIssues.parse(ErrorBody.parse(invalid.body).error.details);
    expect(issues.map((issue) => issue.path)).toContain('email');

    const [variant] = await pick(1, 1);
    const short = await browser.agent.post('/api/cart/items').set('X-CSRF-Token', browser.csrf).send({ variantId: variant!.id, quantity: 2 });
    expect(short.status).toBe(409);
    const error = ErrorBody.parse(short.body).error;
    expect(error.code).toBe('out_of_stock');
    expect(StockShortages.parse(error.details)).toEqual([expect.objectContaining({ variantId: variant!.id, requested: 2, available: 1 })]);
  });
});
