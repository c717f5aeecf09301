import { fileURLToPath } from 'node:url';

/** The monorepo root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where results and profiles are written (ignored by git). */
export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
/** The bench workspace itself. */
export const BENCH_DIR = fileURLToPath(new URL('../', import.meta.url));
