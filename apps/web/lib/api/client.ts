// The browser's side of the data module: same-origin calls to /api (through the Next rewrite),
// with the session cookie and the CSRF token (see apps/api/src/http/csrf.ts). Every call resolves to an ApiResult with a
// French message instead of throwing, so components only choose what to show.
import {
  Address,
  AddressList,
  Cart,
  CheckoutResponse,
  CsrfBody,
  Order,
  OrderBody,
  OrderList,
  ProvidersResponse,
  RelayPointList,
  ShippingMethodList,
  UserBody,
  type AddressBody,
  type CheckoutBody,
  type ProviderName,
  type RelayPoint,
  type ShippingMethod,
  type User,
} from '@girlycrea/contract';
import { errorCodeOf, errorDetailsOf, frenchMessage, stockDetailsOf, stockMessage } from './errors';

/** A call's outcome: data, or a French message (plus one message per invalid field). */
export type ApiResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number | null; code: string | null; message: string; fields: Record<string, string> };

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface RequestOptions<T> {
  body?: unknown;
  decode: (data: unknown) => T;
  headers?: Record<string, string>;
}

const TIMEOUT_MS = 15_000;
const FIELD_NAMES: Record<string, string> = {
  password: 'Mot de passe',
  email: 'E-mail',
  name: 'Nom',
  line1: 'Adresse',
  line2: 'Complément d’adresse',
  postalCode: 'Code postal',
  city: 'Ville',
  country: 'Pays',
  code: 'Code',
  phone: 'Téléphone',
  relayPointId: 'Point relais',
};

const ignoreBody = (): void => undefined;
const decodeUser = (data: unknown): User => UserBody.parse(data).user;

/** Builds a client for the shop API at `base` (same origin by default). */
export function createShopClient(options: { base?: string; fetch?: typeof fetch } = {}) {
  const base = options.base ?? '';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let token: Promise<string> | null = null;

  /** The session's CSRF token; the first call also gives a guest its session cookie. */
  function csrfToken(): Promise<string> {
    token ??= doFetch(`${base}/api/csrf`, { cache: 'no-store', credentials: 'same-origin' })
      .then(async (res) => {
        if (!res.ok) throw new Error(`csrf ${res.status}`);
        return CsrfBody.parse(await res.json()).token;
      })
      .catch((error: unknown) => {
        token = null;
        throw error;
      });
    return token;
  }

  async function send<T>(method: Method, path: string, options: RequestOptions<T>, retried = false): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      if (method !== 'GET') headers['x-csrf-token'] = await csrfToken();
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
    } catch {
      return failure(null, null);
    }
    const body: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
    if (!response.ok) {
      const code = errorCodeOf(body);
      // The session may have expired or rotated since the token was read: fetch a fresh one once.
      if (code === 'csrf_failed' && !retried) {
        token = null;
        return send(method, path, options, true);
      }
      return failure(response.status, code, body);
    }
    try {
      return { ok: true, data: options.decode(body) };
    } catch {
      return failure(response.status, 'invalid_response');
    }
  }

  function failure(status: number | null, code: string | null, body?: unknown): ApiResult<never> {
    // Nested paths (`shippingAddress.postalCode`) are keyed by their last segment, the form's field name.
    const fields = Object.fromEntries(errorDetailsOf(body).map((d) => [d.path.split('.').pop() || 'form', d.message]));
    const names = Object.keys(fields).map((path) => `« ${FIELD_NAMES[path] ?? path} »`);
    // Forms show each field's message next to it; this one line only says where to look.
    const message =
      code === 'invalid_request' && names.length > 0
        ? names.length === 1
          ? `Vérifiez le champ ${names[0]}.`
          : `Vérifiez les champs ${names.join(', ')}.`
        : code === 'out_of_stock'
          ? stockMessage(stockDetailsOf(body))
          : frenchMessage(code, status);
    return { ok: false, status, code, message, fields };
  }

  /** Runs a call that changes who is signed in; the session id rotates, so the next write needs a new token. */
  async function rotating<T>(call: Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    const result = await call;
    token = null;
    return result;
  }

  return {
    /** The cart priced now; with a shipping method, its price is in the total (and VAT). */
    getCart: (shippingMethodId?: string) =>
      send('GET', `/api/cart${shippingMethodId ? `?shippingMethodId=${encodeURIComponent(shippingMethodId)}` : ''}`, { decode: Cart.parse }),
    addToCart: (variantId: string, quantity: number) => send('POST', '/api/cart/items', { body: { variantId, quantity }, decode: Cart.parse }),
    setQuantity: (variantId: string, quantity: number) =>
      send('PATCH', `/api/cart/items/${encodeURIComponent(variantId)}`, { body: { quantity }, decode: Cart.parse }),
    removeItem: (variantId: string) => send('DELETE', `/api/cart/items/${encodeURIComponent(variantId)}`, { decode: Cart.parse }),
    applyDiscount: (code: string) => send('POST', '/api/cart/discount', { body: { code }, decode: Cart.parse }),

    getShippingMethods: (): Promise<ApiResult<ShippingMethod[]>> => send('GET', '/api/shipping-methods', { decode: ShippingMethodList.parse }),
    checkout: (input: CheckoutBody, idempotencyKey: string): Promise<ApiResult<CheckoutResponse>> =>
      send('POST', '/api/checkout', { body: input, decode: CheckoutResponse.parse, headers: { 'idempotency-key': idempotencyKey } }),
    searchRelayPoints: (postalCode: string): Promise<ApiResult<RelayPoint[]>> =>
      send('GET', `/api/relay-points?postalCode=${encodeURIComponent(postalCode)}`, { decode: (data) => RelayPointList.parse(data).items }),
    getPaymentProviders: (): Promise<ApiResult<ProviderName[]>> =>
      send('GET', '/api/payments/providers', { decode: (data) => ProvidersResponse.parse(data).providers }),
    confirmTestPayment: (orderId: string, outcome: 'succeed' | 'fail', idempotencyKey: string): Promise<ApiResult<Order>> =>
      send('POST', `/api/payments/test/${encodeURIComponent(orderId)}/confirm`, {
        body: { outcome },
        decode: (data) => OrderBody.parse(data).order,
        headers: { 'idempotency-key': idempotencyKey },
      }),
    getOrders: () => send('GET', '/api/orders', { decode: (data) => OrderList.parse(data).items }),
    getOrder: (id: string, accessToken?: string) =>
      send('GET', `/api/orders/${encodeURIComponent(id)}${accessToken ? `?token=${encodeURIComponent(accessToken)}` : ''}`, { decode: Order.parse }),

    me: (): Promise<ApiResult<User>> => send('GET', '/api/me', { decode: decodeUser }),
    login: (email: string, password: string) => rotating(send('POST', '/api/auth/login', { body: { email, password }, decode: decodeUser })),
    register: (input: { email: string; password: string; name: string }) =>
      rotating(send('POST', '/api/auth/register', { body: input, decode: decodeUser })),
    logout: () => rotating(send('POST', '/api/auth/logout', { decode: ignoreBody })),
    requestPasswordReset: (email: string) => send('POST', '/api/auth/password-reset', { body: { email }, decode: ignoreBody }),
    confirmPasswordReset: (resetToken: string, password: string) =>
      rotating(send('POST', '/api/auth/password-reset/confirm', { body: { token: resetToken, password }, decode: ignoreBody })),

    verifyEmail: (verifyToken: string) => send('POST', '/api/auth/verify-email', { body: { token: verifyToken }, decode: decodeUser }),
    resendVerification: () => send('POST', '/api/me/verify-email', { decode: ignoreBody }),

    listAddresses: (): Promise<ApiResult<Address[]>> => send('GET', '/api/me/addresses', { decode: (data) => AddressList.parse(data).items }),
    addAddress: (input: AddressBody) => send('POST', '/api/me/addresses', { body: input, decode: Address.parse }),
    removeAddress: (id: string) => send('DELETE', `/api/me/addresses/${encodeURIComponent(id)}`, { decode: ignoreBody }),
  };
}

/** The client type, for components that receive one. */
export type ShopClient = ReturnType<typeof createShopClient>;

/** The page's client: one per browser tab, sharing its CSRF token. */
export const shop: ShopClient = createShopClient();

export { cartCount, orderStatusLabel } from './commerce';
export { formatPrice } from './money';
