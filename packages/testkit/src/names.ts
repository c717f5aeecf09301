let counter = 0;

/** `label` made unique across the test run (time and a counter): for e-mails, idempotency keys, codes. */
export function uniqueLabel(label: string): string {
  return `${label}-${Date.now()}-${(counter += 1)}`;
}
