const started = performance.now();

/** Prints one progress line, prefixed with the time since the bench started. */
export function progress(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(5);
  console.log(`[bench ${seconds}s] ${message}`);
}

/** A failure that tells the operator what to do next. */
export class BenchError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'BenchError';
  }
}

/** Runs one setup step with progress lines; a failure becomes a BenchError carrying `hint`. */
export async function step<T>(title: string, hint: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  progress(`${title}…`);
  try {
    const result = await work();
    progress(`${title} : ok (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    if (error instanceof BenchError) throw error;
    throw new BenchError(`${title} : ${(error as Error).message}`, hint, { cause: error });
  }
}
