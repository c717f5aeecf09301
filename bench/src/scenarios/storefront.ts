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
    async plan({ storefrontRoutes, fixtures }) {
      const route = findProductRoute(storefrontRoutes);
      if (!route) return { skip: `apps/web n’a pas encore de page produit (routes : ${storefrontRoutes.join(', ')})` };
      const dynamic = route.slice(route.lastIndexOf('/'));
      const prefix = route.slice(0, route.lastIndexOf('/'));
      return {
        requests: [{ setupRequest: (request) => ({ ...request, path: `${prefix}/${pick(fixtures.slugs)}` }) }],
        note: `storefront-product : route ${prefix}${dynamic} avec un slug au hasard parmi les 1 000.`,
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
