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
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body: JsonSchema | undefined;
}

// What the API answers must never show: a stack frame, a file path or an internal error name.
const LEAK = /\n\s+at |node_modules|\.ts:\d+|\.js:\d+|TypeError|RangeError|SyntaxError|ReferenceError/;
const RUNS_PER_OPERATION = 30;

/** Strings that broke or could break a text field: lone surrogates, controls, huge, look-alike, injection. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
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

/** A value for one schema: often the right type with a nasty content, sometimes anything at all. */
function valueFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return anyValue;
  const types = [schema.type].flat();
  const options: fc.Arbitrary<unknown>[] = [anyValue];
  if (schema.enum) options.push(fc.constantFrom(...schema.enum));
  if (types.includes('object') && schema.properties) {
    const entries = Object.entries(schema.properties).map(([key, child]) => [key, valueFor(child, depth + 1)] as const);
    options.push(fc.record(Object.fromEntries(entries), { requiredKeys: [] }));
  }
  if (types.includes('array')) options.push(fc.array(valueFor(schema.items, depth + 1), { maxLength: 60 }));
  if (types.includes('string')) options.push(nastyString, fc.uuid());
  if (types.includes('integer') || types.includes('number')) options.push(fc.integer({ min: -1000, max: 1000 }), fc.double());
  return fc.oneof(...options);
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
  let ipCounter = 0;
  beforeAll(async () => {
    operations = operationsOf((await t.http.get('/api/openapi.json')).body);
    const [variant] = await pick(1, 100);
    browser = await openBrowser(t.app);
    expect((await browser.agent.post('/api/cart/items').set('X-CSRF-Token', browser.csrf).send({ variantId: variant!.id, quantity: 1 })).status).toBe(200);
  });

  /** Sends one request as a signed-in-looking browser (cookie and CSRF token) or as a bare client, from its own IP. */
  function send(operation: Operation, path: string, query: string, body: unknown, options: { withSession: boolean; raw?: boolean }) {
    ipCounter += 1;
    const url = `${path}${query ? `?${query}` : ''}`;
    let request = supertest(t.app)[operation.method as 'get'](url)
      .set('X-Forwarded-For', `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`)
      .set('Idempotency-Key', randomUUID());
    if (options.withSession) request = request.set('Cookie', `sid=${browser.sessionId}`).set('X-CSRF-Token', browser.csrf);
    if (body === undefined || ['get', 'delete', 'head'].includes(operation.method)) return request;
    return options.raw ? request.set('Content-Type', 'application/json').send(body as string) : request.send(body as object);
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
          valueFor(operation.body),
          fc.boolean(),
          async (params, queryPairs, body, withSession) => {
            let path = operation.path;
            pathParams.forEach((param, index) => {
              path = path.replace(`{${param.name}}`, encodeSegment(params[index] || '-'));
            });
            const query = queryPairs.map(([name, value]) => `${name}=${encodeSegment(value)}`).join('&');
            const res = await send(operation, path, query, body, { withSession });
            expectSafe(operation, res, JSON.stringify({ path, query, body })?.slice(0, 300) ?? '');
          },
        ),
        { numRuns: RUNS_PER_OPERATION, seed: 22 },
      );
    }
  });

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
  });
});
