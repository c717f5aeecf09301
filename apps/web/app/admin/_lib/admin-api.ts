// The back office's calls to /api/admin (same origin, through the Next rewrite): the session cookie
// plus the CSRF token, one retry when the token went stale. Every call resolves to a result with
// the API's French message instead of throwing.

/** A call's outcome. */
export type AdminResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number | null; code: string | null; reason: string | null; message: string };

let token: string | null = null;

/** Replaces the CSRF token (sign-in rotates the session). */
export function setCsrfToken(value: string | null): void {
  token = value;
}

async function csrfToken(): Promise<string> {
  if (token) return token;
  const res = await fetch('/api/csrf', { cache: 'no-store', credentials: 'same-origin' });
  const body = (await res.json()) as { token: string };
  token = body.token;
  return token;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

function describe(body: ErrorBody | undefined, status: number | null): { code: string | null; reason: string | null; message: string } {
  const error = body?.error;
  const details = error?.details;
  const reason = details && typeof details === 'object' && !Array.isArray(details) ? ((details as { reason?: string }).reason ?? null) : null;
  let message = error?.message ?? (status === null ? 'Le serveur ne répond pas : vérifiez la connexion et réessayez.' : 'Une erreur est survenue, réessayez.');
  if (Array.isArray(details) && details.length > 0) {
    message = `${message} ${details.map((d: { path?: string; message?: string }) => `${d.path ? `${d.path} : ` : ''}${d.message ?? ''}`).join(' ; ')}`;
  }
  return { code: error?.code ?? null, reason, message };
}

/** Sends one request; JSON unless `body` is a Blob (an image upload). */
export async function adminFetch<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  retried = false,
): Promise<AdminResult<T>> {
  const init: RequestInit & { headers: Record<string, string> } = { method, credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json', ...headers } };
  try {
    if (method !== 'GET') init.headers['x-csrf-token'] = await csrfToken();
    if (body instanceof Blob) {
      init.body = body;
      init.headers['content-type'] = body.type || 'application/octet-stream';
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['content-type'] = 'application/json';
    }
    const res = await fetch(path, init);
    const data: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined);
    if (res.ok) return { ok: true, status: res.status, data: data as T };
    const failure = describe(data as ErrorBody | undefined, res.status);
    if (failure.code === 'csrf_failed' && !retried) {
      token = null;
      return adminFetch(method, path, body, headers, true);
    }
    return { ok: false, status: res.status, ...failure };
  } catch {
    return { ok: false, status: null, ...describe(undefined, null) };
  }
}

/** Whether a failure means "sign in (again)": signed out, not admin, or second factor missing or lapsed. */
export const needsSignIn = (result: AdminResult<unknown>): boolean => !result.ok && (result.status === 401 || result.status === 403);

/** French labels of order statuses. */
export const ORDER_STATUS_LABEL: Record<string, string> = {
  pending_payment: 'En attente de paiement',
  paid: 'Payée',
  preparing: 'En préparation',
  payment_failed: 'Paiement refusé',
  cancelled: 'Annulée',
  shipped: 'Expédiée',
  delivered: 'Livrée',
  refunded: 'Remboursée',
};

/** French names of the e-mail templates the outbox sends. */
export const EMAIL_LABEL: Record<string, string> = {
  order_confirmation: 'Confirmation de commande',
  payment_failed: 'Paiement refusé',
  order_shipped: 'Commande expédiée',
  order_refunded: 'Remboursement',
  password_reset: 'Mot de passe oublié',
  email_verification: 'Vérification de l’adresse',
  welcome: 'Bienvenue',
};

/** "3 commandes payées", "1 cliente": a count with its words in the plural when French wants it (2 and more). */
export const count = (n: number, ...words: string[]): string => `${n} ${words.map((word) => (n > 1 ? `${word}s` : word)).join(' ')}`;

/** Cents as French euros, e.g. 12,50 €. */
export const euros = (cents: number): string => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100);

/** A date and time in French. */
export const frenchDateTime = (iso: string): string => new Date(iso).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' });

/** Euros typed by the owner ("12,50", "12.5", "3") as cents; null when empty; NaN when not a number (negative amounts are left to the API's message). */
export function centsFromEuros(text: string): number | null {
  const value = text.trim().replace(/\s/g, '').replace(',', '.');
  if (value === '') return null;
  return /^-?\d+(\.\d{1,2})?$/.test(value) ? Math.round(Number(value) * 100) : Number.NaN;
}

/** Cents as the text of a euros field ("12,50"). */
export const eurosField = (cents: number | null): string => (cents === null ? '' : (cents / 100).toFixed(2).replace('.', ','));

/** A whole number typed by the owner; null when empty, NaN when not a whole number. */
export function wholeNumber(text: string): number | null {
  const value = text.trim();
  if (value === '') return null;
  return /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
}
