import { BenchError, progress } from './log.js';

type Task = { name: string; run: () => Promise<void> | void };

/**
 * A LIFO stack of teardown tasks: everything the bench starts registers its stop here, and
 * `runAll` stops it all even when a task fails, on success, failure or a signal.
 */
export function createCleanup() {
  const tasks: Task[] = [];
  let running: Promise<void> | undefined;

  async function runAll(): Promise<void> {
    while (tasks.length > 0) {
      const task = tasks.pop()!;
      try {
        await task.run();
      } catch (error) {
        console.error(`[bench] arrêt de ${task.name} : ${(error as Error).message}`);
      }
    }
  }

  return {
    /** Registers a teardown; returns a function that runs it early (and only once). */
    defer(name: string, run: () => Promise<void> | void): () => Promise<void> {
      const task: Task = { name, run };
      tasks.push(task);
      return async () => {
        const index = tasks.indexOf(task);
        if (index === -1) return;
        tasks.splice(index, 1);
        await run();
      };
    },
    /** Runs every registered teardown once, newest first. */
    runAll(): Promise<void> {
      running ??= runAll();
      return running;
    },
    /** On SIGINT/SIGTERM: tear everything down, then exit with the conventional code. */
    installSignalHandlers(): void {
      for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
        process.once(signal, () => {
          progress(`${signal} reçu : arrêt de tout ce que le bench a démarré…`);
          void this.runAll().finally(() => process.exit(code));
        });
      }
    },
  };
}

/** The teardown stack of one bench run. */
export type Cleanup = ReturnType<typeof createCleanup>;

/**
 * Runs a bench command with a cleanup that also answers Ctrl-C, prints a failure with what to do next,
 * always stops what was started, then exits with the command's code (1 on failure).
 */
export async function runCommand(work: (cleanup: Cleanup) => Promise<number>): Promise<never> {
  const cleanup = createCleanup();
  cleanup.installSignalHandlers();
  let code = 1;
  try {
    code = await work(cleanup);
  } catch (error) {
    console.error(`\n[bench] ÉCHEC : ${(error as Error).message}`);
    if (error instanceof BenchError) console.error(`[bench] à faire : ${error.hint}`);
    else console.error((error as Error).stack);
  } finally {
    progress('arrêt de tout ce que le bench a démarré');
    await cleanup.runAll();
  }
  process.exit(code);
}
