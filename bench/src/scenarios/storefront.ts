import { pick } from '../fixtures.js';
import { findProductRoute } from '../servers/next.js';
import type { Scenario } from './types.js';

/** What Chromium sends with a page request: pages are measured as browsers fetch them, compressed. */
const BROWSER = { accept: 'text/html,application/xhtml+xml', 'accept-encoding': 'gzip, deflate, br, zstd' };

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
        headers: BROWSER,
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
    plan: async () => ({ path: '/', headers: BROWSER }),
  },
  {
    id: 'storefront-category',
    title: 'Page catégorie HTML, p.3 par prix (next start)',
    server: 'next',
    kind: 'page',
    async plan({ fixtures }) {
      if (fixtures.deepCategories.length === 0) return { skip: 'aucune catégorie n’a de 3e page (catalogue trop petit ?)' };
      const path = (slug: string) => `/categorie/${slug}?tri=prix-croissant&page=3`;
      return { requests: [{ setupRequest: (request) => ({ ...request, path: path(pick(fixtures.deepCategories)) }) }], prewarm: fixtures.deepCategories.map(path) };
    },
  },
  {
    id: 'storefront-search',
    title: 'Page recherche HTML (mot du catalogue, next start)',
    server: 'next',
    kind: 'page',
    async plan({ fixtures }) {
      const path = (word: string) => `/recherche?q=${encodeURIComponent(word)}`;
      return { requests: [{ setupRequest: (request) => ({ ...request, path: path(pick(fixtures.words)) }) }], prewarm: fixtures.words.map(path) };
    },
  },
];

/** One product page, the same for every request: what the micro-cache serves, and Next alone for comparison. */
function samePage(id: string, title: string, server: 'next' | 'nginx'): Scenario {
  return {
    id,
    title,
    server,
    kind: 'page',
    async plan({ fixtures }) {
      const slug = fixtures.slugs[0];
      if (!slug) return { skip: 'aucun produit généré dans la base du bench' };
      return { path: `/produits/${slug}`, headers: BROWSER, note: `${id} : /produits/${slug}, la même page à chaque requête, compressée comme pour un navigateur.` };
    },
  };
}

/** The same product page from Next alone and through Nginx (TLS, keep-alive, micro-cache): the edge's worth. */
export const edgeScenarios: Scenario[] = [
  samePage('storefront-product-same', 'Une page produit (next start seul)', 'next'),
  samePage('nginx-product', 'Une page produit via Nginx (TLS, micro-cache)', 'nginx'),
  {
    id: 'nginx-products',
    title: 'Liste produits p.1 via Nginx (TLS, micro-cache)',
    server: 'nginx',
    kind: 'catalog',
    plan: async () => ({ path: '/api/products' }),
  },
];
