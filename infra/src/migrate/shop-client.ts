/** One HTTP answer of the shop's API. */
export interface ShopResponse {
  status: number;
  // The API's JSON bodies are checked field by field by the callers.
  body: Record<string, unknown>;
}

/** A browser-like client of the shop's API: keeps its cookies, sends the CSRF token on writes. */
export interface ShopClient {
  request(method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<ShopResponse>;
  /** Opens a session (GET /api/csrf) and keeps its CSRF token. */
  openSession(): Promise<void>;
}

/** Thrown when the shop cannot be reached at all (down, wrong URL, TLS). */
export class ShopUnreachable extends Error {}

/** Creates a client of the API at `baseUrl` (e.g. https://girlycrea.fr). */
export function createShopClient(baseUrl: string, options: { timeoutMs?: number } = {}): ShopClient {
  const cookies = new Map<string, string>();
  let csrf: string | undefined;
  async function request(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ShopResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    if (cookies.size) headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        redirect: 'manual',
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ShopUnreachable(`la boutique ne répond pas à ${new URL(path, baseUrl)} : ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      if (at > 0) cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text: text.slice(0, 200) };
    }
    return { status: response.status, body: parsed };
  }
  return {
    request,
    async openSession() {
      const res = await request('GET', '/api/csrf');
      if (res.status !== 200 || typeof res.body.token !== 'string') throw new Error(`GET /api/csrf a répondu ${res.status}`);
      csrf = res.body.token;
    },
  };
}
