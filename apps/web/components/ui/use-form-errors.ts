'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

/** Field name → French message shown next to that field. */
export type FieldErrors = Record<string, string>;

/** Focuses the first field in page order that shows an error (`aria-invalid`, or a group marked `data-invalid`). */
export function focusFirstError(form: HTMLFormElement | null): void {
  const first = form?.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid="true"]');
  first?.focus();
}

/**
 * A form's field errors: `report` shows them and moves focus to the first one in page order (not the
 * first one found); `recheck` re-validates a field as it is edited, so its error goes away once it is
 * fixed — it never adds an error while the customer is still typing.
 */
export function useFormErrors() {
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [reported, setReported] = useState(0);

  useEffect(() => {
    if (reported > 0) focusFirstError(formRef.current);
  }, [reported]);

  const report = useCallback((next: FieldErrors) => {
    setErrors(next);
    if (Object.keys(next).length > 0) setReported((count) => count + 1);
  }, []);

  const recheck = useCallback((name: string, message: string | undefined) => {
    setErrors((current) => {
      if (!(name in current)) return current;
      const next = { ...current };
      if (message) next[name] = message;
      else delete next[name];
      return next;
    });
  }, []);

  return { formRef, errors, report, recheck };
}
