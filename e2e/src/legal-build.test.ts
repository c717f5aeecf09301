import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TEST_SELLER } from '@girlycrea/testkit';
import { describe, expect, it } from 'vitest';
import { buildWeb, inheritEnv, PATHS } from './harness/processes.js';

// Apart from shop.test.ts: this build stops while Next reads its configuration, within seconds.
describe('build de production de la vitrine', () => {
  it('échoue sans SIRET en nommant la variable manquante, au lieu de publier « [SIRET à compléter] »', async () => {
    inheritEnv({ PATH: process.env.PATH ?? '/usr/bin:/bin' });
    const distDir = '.next/legal-check';
    try {
      const build = buildWeb({ ...TEST_SELLER, SELLER_SIRET: '', NODE_ENV: 'production', NEXT_DIST_DIR: distDir });
      await expect(build).rejects.toThrow(/Mentions légales incomplètes : SELLER_SIRET manquant/);
    } finally {
      await rm(join(PATHS.web, distDir), { recursive: true, force: true });
    }
  });
});
