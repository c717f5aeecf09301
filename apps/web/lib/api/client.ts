// The browser's side of the data module: same-origin calls to /api (through the Next rewrite),
// with the session cookie and the CSRF token (see apps/api/src/http/csrf.ts). Every call resolves to an ApiResult with a
// French message instead of throwing, so components only choose what to show.
import type { Address, AddressBody, Cart, CheckoutBody, CheckoutResponse, FieldIssues, Order, ProviderName, RelayPoint, ShippingMethod, StockShortages, User } from '@girlycrea/contract';
import { frenchMessage, stockMessage } from './errors';

/** A call's outcome: data, or a French message (plus one message per invalid field). */
export type ApiResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number | null; code: string | null; message: string; fields: Record<string, string> };

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

// The contract's schemas bring zod (about 30 kB compressed): they load with the first answer to
// check, after the page is up, instead of weighing on every page's first load.
const loadContract = () => import('@girlycrea/contract');
type Contract = Awaited<ReturnType<typeof loadContract>>;

interface RequestOptions<T> {
  body?: unknown;
  /** Checks the answer with the contract's schemas (`api`) and returns it typed; throws when it does not fit. */
  decode: (api: Contract, data: unknown) => T;
  headers?: Record<string, string>;
}

/** What an error answer's `details` say: invalid fields, or the variants short of stock. */
interface Problems {
  issues: FieldIssues;
  shortages: StockShortages;
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
const decodeCart = (api: Contract, data: unknown): Cart => api.Cart.parse(data);
const decodeOrder = (api: Contract, data: unknown): Order => api.Order.parse(data);
const decodeUser = (api: Contract, data: unknown): User => api.UserBody.parse(data).user;

function problemsOf(api: Contract, details: unknown): Problems {
  const issues = api.FieldIssues.safeParse(details);
  const shortages = api.StockShortages.safeParse(details);
  return { issues: issues.success ? issues.data : [], shortages: shortages.success ? shortages.data : [] };
}

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
        return (await loadContract()).CsrfBody.parse(await res.json()).token;
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
    let api: Contract;
    try {
      api = await loadContract();
    } catch {
      return failure(null, null);
    }
    if (!response.ok) {
      const error = api.ErrorBody.safeParse(body);
      const code = error.success ? error.data.error.code : null;
      // The session may have expired or rotated since the token was read: fetch a fresh one once.
      if (code === 'csrf_failed' && !retried) {
        token = null;
        return send(method, path, options, true);
      }
      return failure(response.status, code, problemsOf(api, error.data?.error.details));
    }
    try {
      return { ok: true, data: options.decode(api, body) };
    } catch {
      return failure(response.status, 'invalid_response');
    }
  }

  function failure(status: number | null, code: string | null, problems: Problems = { issues: [], shortages: [] }): ApiResult<never> {
    // Nested paths (`shippingAddress.postalCode`) are keyed by their last segment, the form's field name.
    const fields = Object.fromEntries(problems.issues.map((d) => [d.path.split('.').pop() || 'form', d.message]));
    const names = Object.keys(fields).map((path) => `« ${FIELD_NAMES[path] ?? path} »`);
    // Forms show each field's message next to it; this one line only says where to look.
    const message =
      code === 'invalid_request' && names.length > 0
        ? names.length === 1
          ? `Vérifiez le champ ${names[0]}.`
          : `Vérifiez les champs ${names.join(', ')}.`
        : code === 'out_of_stock'
          ? stockMessage(problems.shortages)
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
      send('GET', `/api/cart${shippingMethodId ? `?shippingMethodId=${encodeURIComponent(shippingMethodId)}` : ''}`, { decode: decodeCart }),
    addToCart: (variantId: string, quantity: number) => send('POST', '/api/cart/items', { body: { variantId, quantity }, decode: decodeCart }),
    setQuantity: (variantId: string, quantity: number) =>
      send('PATCH', `/api/cart/items/${encodeURIComponent(variantId)}`, { body: { quantity }, decode: decodeCart }),
    removeItem: (variantId: string) => send('DELETE', `/api/cart/items/${encodeURIComponent(variantId)}`, { decode: decodeCart }),
    applyDiscount: (code: string) => send('POST', '/api/cart/discount', { body: { code }, decode: decodeCart }),

    getShippingMethods: (): Promise<ApiResult<ShippingMethod[]>> => send('GET', '/api/shipping-methods', { decode: (api, data) => api.ShippingMethodList.parse(data) }),
    checkout: (input: CheckoutBody, idempotencyKey: string): Promise<ApiResult<CheckoutResponse>> =>
      send('POST', '/api/checkout', { body: input, decode: (api, data) => api.CheckoutResponse.parse(data), headers: { 'idempotency-key': idempotencyKey } }),
    searchRelayPoints: (postalCode: string): Promise<ApiResult<RelayPoint[]>> =>
      send('GET', `/api/relay-points?postalCode=${encodeURIComponent(postalCode)}`, { decode: (api, data) => api.RelayPointList.parse(data).items }),
    getPaymentProviders: (): Promise<ApiResult<ProviderName[]>> =>
      send('GET', '/api/payments/providers', { decode: (api, data) => api.ProvidersResponse.parse(data).providers }),
    confirmTestPayment: (orderId: string, outcome: 'succeed' | 'fail', idempotencyKey: string): Promise<ApiResult<Order>> =>
      send('POST', `/api/payments/test/${encodeURIComponent(orderId)}/confirm`, {
        body: { outcome },
        decode: (api, data) => api.OrderBody.parse(data).order,
        headers: { 'idempotency-key': idempotencyKey },
      }),
    getOrders: () => send('GET', '/api/orders', { decode: (api, data) => api.OrderList.parse(data).items }),
    getOrder: (id: string, accessToken?: string) =>
      send('GET', `/api/orders/${encodeURIComponent(id)}${accessToken ? `?token=${encodeURIComponent(accessToken)}` : ''}`, { decode: decodeOrder }),

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

    listAddresses: (): Promise<ApiResult<Address[]>> => send('GET', '/api/me/addresses', { decode: (api, data) => api.AddressList.parse(data).items }),
    addAddress: (input: AddressBody) => send('POST', '/api/me/addresses', { body: input, decode: (api, data) => api.Address.parse(data) }),
    removeAddress: (id: string) => send('DELETE', `/api/me/addresses/${encodeURIComponent(id)}`, { decode: ignoreBody }),
  };
}

/** An order this tab kept in its storage, checked again (a deploy may have changed the shape); null when it no longer fits. */
export async function parseStoredOrder(raw: string): Promise<Order | null> {
  try {
    return (await loadContract()).Order.parse(JSON.parse(raw));
  } catch {
    return null;
  }
}

/** The client type, for components that receive one. */
export type ShopClient = ReturnType<typeof createShopClient>;

/** The page's client: one per browser tab, sharing its CSRF token. */
export const shop: ShopClient = createShopClient();

export { cartCount, orderStatusLabel } from './commerce';
export { formatPrice } from './money';
