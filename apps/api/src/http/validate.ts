import type { FieldIssues } from '@girlycrea/contract';
import type { z } from 'zod';
import { AppError } from './errors.js';

/** Deepest nesting any request input may have; no schema of the API goes past a few levels. */
export const MAX_INPUT_DEPTH = 16;

// A high surrogate not followed by a low one, or a low one not preceded by a high one: PostgreSQL
// refuses them in jsonb and node-postgres would store them in text as U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 and C1 control characters (tab and newline included: no field of the API is multi-line).
const CONTROL = /\p{Cc}/u;

type Issue = FieldIssues[number];

function textProblem(text: string): string | undefined {
  if (LONE_SURROGATE.test(text)) return 'caractère Unicode invalide (demi-paire de substitution)';
  if (CONTROL.test(text)) return 'caractères de contrôle interdits';
  return undefined;
}

/**
 * Every string of `value` (keys included) free of lone surrogates and control characters, and no
 * nesting deeper than MAX_INPUT_DEPTH. Walks with its own stack: a deep body cannot overflow the call stack.
 */
function hygieneIssues(value: unknown): Issue[] {
  const issues: Issue[] = [];
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0 && issues.length < 20) {
    const item = stack.pop()!;
    const path = item.path.join('.');
    if (typeof item.value === 'string') {
      const problem = textProblem(item.value);
      if (problem) issues.push({ path, message: problem });
    } else if (item.value !== null && typeof item.value === 'object') {
      if (item.path.length >= MAX_INPUT_DEPTH) {
        issues.push({ path, message: 'imbrication trop profonde' });
        continue;
      }
      for (const [key, child] of Object.entries(item.value)) {
        const problem = textProblem(key);
        // A bad key is reported with a readable stand-in: echoing it back would repeat the bad characters.
        if (problem) issues.push({ path: [...item.path, '?'].join('.'), message: `nom de champ invalide : ${problem}` });
        else stack.push({ value: child, path: [...item.path, key] });
      }
    }
  }
  return issues;
}

/**
 * Parses `value` with `schema`, or throws 400 invalid_request with one detail per bad field. Every
 * input of the API goes through here, so this is the one place that refuses lone surrogates, control
 * characters and over-deep nesting in any text field, before the schema sees it.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const issues = hygieneIssues(value);
  if (issues.length > 0) throw new AppError('invalid_request', 'Requête invalide.', { details: issues });
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError('invalid_request', 'Requête invalide.', {
    details: result.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    })),
  });
}
