import type autocannon from 'autocannon';
import { pick } from '../fixtures.js';
import type { LoadPlan } from '../load/run-load.js';
import type { Scenario, ScenarioContext, ServerKind } from './types.js';

/** GET requests whose path is drawn anew for every request. */
function randomPaths(next: () => string): autocannon.Request[] {
  return [{ setupRequest: (request) => ({ ...request, path: next() }) }];
}

const encode = (text: string) => encodeURIComponent(text).replaceAll('%20', '+');

function withoutOneLetter(word: string): string {
  const at = 1 + Math.floor(Math.random() * (word.length - 1));
  return word.slice(0, at) + word.slice(at + 1);
}

/** Page 1 of the product list, always from the warm response cache. */
export function productListScenario(id: string, server: ServerKind): Scenario {
  return {
    id,
    title: 'Liste produits p.1 (cache chaud)',
    server,
    kind: 'catalog',
    plan: async (): Promise<LoadPlan> => ({ path: '/api/products', prewarm: ['/api/products'] }),
  };
}

/**
 * The same product list page 1 (same path, prewarm and load) against the API started with tracing on: compared
 * with `products`, it gives the cost of tracing. The OTLP sink's counters are read around the measured period.
 */
export function tracedProductListScenario(id: string): Scenario {
  return {
    id,
    title: 'Liste produits p.1 (chaud), traçage OTLP',
    server: 'traced',
    kind: 'catalog',
    plan: async ({ otlpSink }: ScenarioContext): Promise<LoadPlan> => {
      if (!otlpSink) throw new Error('pas de puits OTLP : ce scénario ne tourne que contre l’API tracée');
      return { path: '/api/products', prewarm: ['/api/products'], otlpSink };
    },
  };
}

/** A product by slug, random among the generated products (every entry prewarmed). */
export function productBySlugScenario(id: string, server: ServerKind): Scenario {
  return {
    id,
    title: 'Produit par slug (1 000 au hasard)',
    server,
    kind: 'catalog',
    plan: async ({ fixtures }: ScenarioContext): Promise<LoadPlan> => ({
      requests: randomPaths(() => `/api/products/${pick(fixtures.slugs)}`),
      prewarm: fixtures.slugs.map((slug) => `/api/products/${slug}`),
    }),
  };
}

/** Every scenario that loads the catalog of a single API process. */
export const catalogScenarios: Scenario[] = [
  productListScenario('products', 'api'),
  productBySlugScenario('product-slug', 'api'),
  {
    id: 'search',
    title: 'Recherche (mot du catalogue, cache chaud)',
    server: 'api',
    kind: 'catalog',
    plan: async ({ fixtures }) => ({
      requests: randomPaths(() => `/api/products?q=${encode(pick(fixtures.words))}`),
      prewarm: fixtures.words.map((word) => `/api/products?q=${encode(word)}`),
    }),
  },
  {
    id: 'search-miss',
    title: 'Recherche hors cache (faute + 2 mots : SQL)',
    server: 'api',
    kind: 'catalog',
    plan: async ({ fixtures }) => ({
      requests: randomPaths(() => {
        const q = `${withoutOneLetter(pick(fixtures.words))} ${pick(fixtures.words)}`;
        return `/api/products?q=${encode(q)}&limit=${10 + Math.floor(Math.random() * 50)}`;
      }),
      note: 'search-miss : chaque requête a une clé de cache nouvelle (mot amputé d’une lettre + 2e mot + limit), donc passe par PostgreSQL.',
    }),
  },
  {
    id: 'category-p3',
    title: 'Catégorie p.3 triée par prix',
    server: 'api',
    kind: 'catalog',
    plan: async ({ fixtures }) => {
      if (fixtures.deepCategories.length === 0) return { skip: 'aucune catégorie n’a de 3e page (catalogue trop petit ?)' };
      const path = (slug: string) => `/api/products?category=${slug}&sort=price_asc&page=3`;
      return {
        requests: randomPaths(() => path(pick(fixtures.deepCategories))),
        prewarm: fixtures.deepCategories.map(path),
      };
    },
  },
];
