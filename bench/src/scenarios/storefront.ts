import { pick } from '../fixtures.js';
import { findProductRoute } from '../servers/next.js';
import type { Scenario } from './types.js';

/** The storefront (next start) in front of the single API. */
export const storefrontScenarios: Scenario[] = [
  {
    id: 'storefront-product',
    title: 'Page produit HTML (next start)',
    server: 'next',
    kind: 'page',
    async plan({ storefrontRoutes, fixtures, quick }) {
      const route = findProductRoute(storefrontRoutes);
      if (!route) return { skip: `apps/web n’a pas encore de page produit (routes : ${storefrontRoutes.join(', ')})` };
      const dynamic = route.slice(route.lastIndexOf('/'));
      const prefix = route.slice(0, route.lastIndexOf('/'));
      // Pages are cached by Next after their first render (ISR), as the API's answers are: every
      // page of the run is visited once first. `--quick` keeps 100 of them (a cold render costs ~30 ms).
      const slugs = quick ? fixtures.slugs.slice(0, 100) : fixtures.slugs;
      const path = (slug: string) => `${prefix}/${slug}`;
      return {
        prewarm: slugs.map(path),
        requests: [{ setupRequest: (request) => ({ ...request, path: path(pick(slugs)) }) }],
        note: `storefront-product : route ${prefix}${dynamic} avec un slug au hasard parmi ${slugs.length}, déjà visités une fois (cache ISR de Next).`,
      };
    },
  },
  {
    id: 'storefront-home',
    title: 'Accueil HTML (next start)',
    server: 'next',
    kind: 'page',
    plan: async () => ({ path: '/' }),
  },
];
