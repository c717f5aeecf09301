import type {} from 'vitest';
import type { TestDbEnv } from './postgres.js';

// What infra/test/global-setup.ts provides to every test file through vitest's inject().
declare module 'vitest' {
  export interface ProvidedContext {
    testDb: TestDbEnv;
    redisUrl: string;
  }
}
