import type { JobLogger } from './expire-orders.js';

/**
 * Runs `runOnce` every `intervalMs` (first run after one interval), never two runs at once; a
 * failed run is logged with `failureMessage` and the next one comes at the usual time.
 */
export function createPeriodicJob<T>(runOnce: () => Promise<T>, options: { intervalMs: number; logger?: JobLogger | undefined; failureMessage: string }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error: unknown) => options.logger?.error({ err: error }, options.failureMessage))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, options.intervalMs);
    timer.unref();
  }

  return {
    runOnce,
    /** Starts running every `intervalMs`. */
    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    /** Stops scheduling and waits for a run in progress. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
