// Hand-written guards (no runtime schema library in the web app): they reject API responses
// that would otherwise blow up deep inside rendering, and stay tiny in the browser bundle.

/** A JSON object whose fields are still unchecked. */
export type Json = Record<string, unknown>;

/** Returns `value` as an object; throws a TypeError naming `what` otherwise. */
export function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${what}: expected an object`);
  // Safe: checked non-null, non-array object just above.
  return value as Json;
}

/** Returns `value` as a string; throws otherwise. */
export function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what}: expected a string`);
  return value;
}

/** An id kept opaque: the contract does not pin uuid or serial. */
export function asId(value: unknown, what: string): string {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return asString(value, what);
}

/** Returns `value` as an integer (money is integer cents); throws otherwise. */
export function asInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${what}: expected an integer`);
  return value;
}

/** Returns `value` as an array; throws otherwise. */
export function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${what}: expected an array`);
  return value;
}

/** `undefined`/`null` become null, anything else must pass `decode`. */
export function optional<T>(value: unknown, decode: (v: unknown, what: string) => T, what: string): T | null {
  return value === undefined || value === null ? null : decode(value, what);
}

/** A list body: either a bare array or the `{ items }` list envelope. */
export function listItems(value: unknown, what: string): unknown[] {
  return Array.isArray(value) ? value : asArray(asObject(value, what).items, `${what}.items`);
}
