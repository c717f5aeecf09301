import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import supertest from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../testing.js';
import { openBrowser, useShopTest, type Browser, type VariantPicker } from '../testing/shop.js';

let t: TestApp;
let pick: VariantPicker;
useShopTest((app, picker) => {
  t = app;
  pick = picker;
});

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
}
interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body: JsonSchema | undefined;
}

// What the API answers must never show: a stack frame, a file path or an internal error name.
const LEAK = /\n\s+at |node_modules|\.ts:\d+|\.js:\d+|TypeError|RangeError|SyntaxError|ReferenceError/;
// Operations with a body get more runs: their inputs are where the surprises are.
const RUNS = { withBody: 40, withoutBody: 12 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Strings that broke or could break a text field: lone surrogates, controls, huge, look-alike, injection. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.tuple(fc.constantFrom('Léa ', '12 rue ', ''), fc.constantFrom('\ud800', '\udfff', '\u0000', '\u007f', '\u0085')).map(([text, bad]) => `${text}${bad}`),
  fc.constantFrom('\ud800', 'a\udc00b', '\udbff\udfff', '\u0000', 'x\u001b[31m', '\u202e', '\ufeff', '\u009b', '', ' ', "' OR 1=1 --", '<script>', '../../etc/passwd', '%00', '__proto__', 'constructor', '🌸'.repeat(50)),
  fc.constantFrom('a'.repeat(10_000), 'é'.repeat(300)),
);

/** Any JSON-ish value, nested up to a few levels. */
const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nastyString,
    fc.integer(),
    fc.constantFrom(0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, 0.5, -0),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

let components: Record<string, JsonSchema> = {};
/** Strings the API itself answered with (ids, slugs, shipping methods): valid values no schema can spell out. */
let harvested: string[] = [];

/** Every string in a JSON answer. */
const stringsIn = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value !== null && typeof value === 'object' ? Object.values(value).flatMap(stringsIn) : [];
const resolve = (schema: JsonSchema): JsonSchema => (schema.$ref ? resolve(components[schema.$ref.split('/').pop()!] ?? {}) : schema);

/** A value the schema accepts (patterns, formats, bounds and required keys followed). */
function validFor(raw: JsonSchema | undefined, name = '', depth = 0): fc.Arbitrary<unknown> {
  if (!raw || depth > 5) return anyValue;
  const schema = resolve(raw);
  const types = [schema.type].flat();
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (types.includes('object')) {
    const entries = Object.entries(schema.properties ?? {}).map(([key, child]) => [key, validFor(child, key, depth + 1)] as const);
    return fc.record(Object.fromEntries(entries), { requiredKeys: schema.required ?? [] });
  }
  if (types.includes('array')) return fc.array(validFor(schema.items, name, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
  if (types.includes('integer')) return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
  if (types.includes('number')) return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
  if (types.includes('boolean')) return fc.boolean();
  if (types.includes('string')) {
    const fits = (value: string) =>
      value.length >= (schema.minLength ?? 0) &&
      value.length <= (schema.maxLength ?? Infinity) &&
      (!schema.pattern || new RegExp(schema.pattern).test(value)) &&
      (schema.format !== 'uuid' || UUID.test(value));
    // An address the shop accepts (RFC 5322 allows far more than it should).
    if (schema.format === 'email' || name === 'email') return fc.stringMatching(/^[a-z0-9]{1,12}(\.[a-z0-9]{1,8})?$/).map((local) => `${local}@exemple.fr`);
    const known = harvested.filter(fits);
    let made: fc.Arbitrary<string>;
    if (schema.format === 'uuid') made = fc.uuid();
    else if (schema.pattern) made = fc.stringMatching(new RegExp(schema.pattern));
    else made = fc.string({ unit: 'grapheme-ascii', minLength: Math.max(1, schema.minLength ?? 0), maxLength: Math.min(schema.maxLength ?? 30, 30) });
    return known.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 2 }, { arbitrary: made, weight: 1 }) : made;
  }
  return anyValue;
}

/** The paths of a JSON value's leaves (and of the value itself). */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [path];
  const children = Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...path, Array.isArray(value) ? Number(key) : key]));
  return children.length > 0 ? children : [path];
}

/** `value` with the leaf at `path` replaced. */
function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = replaceAt(copy[head!], rest, replacement);
  return copy;
}

/** A body for one schema: valid but for one nasty field, entirely valid, or anything at all. */
function bodyFor(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const valid = validFor(schema);
  const oneBadField = fc
    .tuple(valid, fc.nat(), fc.oneof({ arbitrary: nastyString, weight: 3 }, { arbitrary: anyValue, weight: 1 }))
    .map(([body, index, bad]) => {
      const paths = leafPaths(body);
      return replaceAt(body, paths[index % paths.length]!, bad);
    });
  return fc.oneof({ arbitrary: oneBadField, weight: 3 }, { arbitrary: valid, weight: 1 }, { arbitrary: anyValue, weight: 1 });
}

/** Percent-encodes any JS string, lone surrogates included (as the raw bytes a client could send). */
function encodeSegment(value: string): string {
  return [...value]
    .map((char) => {
      const code = char.codePointAt(0)!;
      if (/^[A-Za-z0-9_.~-]$/.test(char)) return char;
      if (code >= 0xd800 && code <= 0xdfff) return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
      return encodeURIComponent(char);
    })
    .join('');
}

/** Raw bodies a JSON parser or the validation must survive. */
const rawBodies = [
  '{"email": "a@b.fr",',
  'null',
  '"\\ud800"',
  '[]',
  '{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}}',
  `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
  `{"a":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`,
  JSON.stringify({ big: 'x'.repeat(200_000) }),
  '\u0000\u0001',
];

function operationsOf(document: { paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> }): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method,
      path,
      parameters: operation.parameters ?? [],
      body: operation.requestBody?.content['application/json']?.schema,
    })),
  );
}

describe('input fuzz driven by the OpenAPI document', () => {
  let operations: Operation[];
  let browser: Browser;
  let variant: { id: string } | undefined;
  let ipCounter = 0;
  beforeAll(async () => {
    const document = (await t.http.get('/api/openapi.json')).body;
    components = document.components?.schemas ?? {};
    operations = operationsOf(document);
    for (const operation of operations.filter((o) => o.method === 'get' && !o.path.includes('{'))) {
      const res = await t.http.get(operation.path);
      if (res.status === 200 && res.type === 'application/json') harvested.push(...stringsIn(res.body));
    }
    harvested = [...new Set(harvested)].filter((value) => value.length <= 200).slice(0, 2_000);
    expect(harvested.length).toBeGreaterThan(10);
    [variant] = await pick(1, 1_000_000);
    browser = await openBrowser(t.app);
    await fillCart();
  });

  /** Keeps one item in the fuzzing session's cart, so checkout gets past `cart_empty` to its deepest path. */
  async function fillCart(): Promise<void> {
    // Reading the cart is free; writes count against the session's cart limit, so write only when the item is gone.
    const cart = await browser.agent.get('/api/cart');
    if (cart.status === 200 && (cart.body.items as { variantId: string }[]).some((item) => item.variantId === variant!.id)) return;
    const add = await browser.agent.post('/api/cart/items').set('X-CSRF-Token', browser.csrf).send({ variantId: variant!.id, quantity: 1 });
    // Past the limit (the fuzz's own cart writes count too) the cart stays empty: checkout then answers cart_empty.
    if (add.status === 429) return;
    expect(add.status, add.text).toBe(200);
  }

  /** Sends one request as a signed-in-looking browser (cookie and CSRF token) or as a bare client, from its own IP. */
  function send(operation: Operation, path: string, query: string, body: unknown, options: { withSession: boolean; raw?: boolean }) {
    ipCounter += 1;
    const url = `${path}${query ? `?${query}` : ''}`;
    let request = supertest(t.app)[operation.method as 'get'](url)
      .set('X-Forwarded-For', `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`)
      .set('Idempotency-Key', randomUUID());
    if (options.withSession) request = request.set('Cookie', `sid=${browser.sessionId}`).set('X-CSRF-Token', browser.csrf);
    if (body === undefined || ['get', 'delete', 'head'].includes(operation.method)) return request;
    // Sent as text: any JSON value (a bare `true` too), lone surrogates escaped as JSON allows.
    return request.set('Content-Type', 'application/json').send(options.raw ? (body as string) : JSON.stringify(body));
  }

  function expectSafe(operation: Operation, res: { status: number; text: string }, what: string): void {
    expect(res.status, `${operation.method.toUpperCase()} ${operation.path} ${what}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
    expect(res.text, `${operation.method.toUpperCase()} ${operation.path} ${what}`).not.toMatch(LEAK);
  }

  it('every operation answers malformed and edge input with a 4xx (or a 2xx), never a 5xx or a stack trace', async () => {
    expect(operations.length).toBeGreaterThan(15);
    for (const operation of operations) {
      const pathParams = operation.parameters.filter((p) => p.in === 'path');
      const queryParams = operation.parameters.filter((p) => p.in === 'query');
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(...pathParams.map(() => fc.oneof(nastyString, fc.uuid()))),
          fc.array(fc.tuple(fc.constantFrom(...queryParams.map((p) => p.name), 'page', 'x'), nastyString), { maxLength: 3 }),
          bodyFor(operation.body),
          fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
          async (params, queryPairs, body, withSession) => {
            if (operation.method !== 'get') await fillCart();
            let path = operation.path;
            pathParams.forEach((param, index) => {
              path = path.replace(`{${param.name}}`, encodeSegment(params[index] || '-'));
            });
            const query = queryPairs.map(([name, value]) => `${name}=${encodeSegment(value)}`).join('&');
            const res = await send(operation, path, query, body, { withSession });
            expectSafe(operation, res, JSON.stringify({ path, query, body })?.slice(0, 300) ?? '');
          },
        ),
        { numRuns: operation.body ? RUNS.withBody : RUNS.withoutBody, seed: 22 },
      );
    }
    // About 600 requests: well under a minute on an idle machine; the time limit allows a busy one.
  }, 180_000);

  it('every write answers broken, deep, huge and prototype-polluting raw bodies with a 4xx', async () => {
    for (const operation of operations.filter((o) => !['get', 'delete'].includes(o.method))) {
      const path = operation.path.replace(/\{[^}]+\}/g, randomUUID());
      for (const raw of rawBodies) {
        for (const withSession of [true, false]) {
          const res = await send(operation, path, '', raw, { withSession, raw: true });
          expectSafe(operation, res, raw.slice(0, 40));
        }
      }
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  }, 120_000);
});
