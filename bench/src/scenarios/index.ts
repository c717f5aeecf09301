import { catalogScenarios, productBySlugScenario, productListScenario, tracedProductListScenario } from './catalog.js';
import { addToCartScenario, checkoutScenario } from './shopping.js';
import { edgeScenarios, storefrontScenarios } from './storefront.js';
import type { Scenario } from './types.js';

export type { Scenario, ScenarioContext, ServerKind } from './types.js';

/** Every scenario, in run order (grouped by server so each server starts once). */
export const SCENARIOS: Scenario[] = [
  { id: 'baseline', title: 'Plafond node:http (mêmes octets que la liste p.1)', server: 'baseline', kind: 'baseline', plan: async () => ({ path: '/' }) },
  ...catalogScenarios,
  addToCartScenario('add-to-cart', 'api'),
  checkoutScenario('checkout', 'api'),
  ...storefrontScenarios,
  ...edgeScenarios,
  tracedProductListScenario('products-traced'),
  productListScenario('cluster-products', 'cluster'),
  productBySlugScenario('cluster-product-slug', 'cluster'),
  addToCartScenario('cluster-add-to-cart', 'cluster'),
  checkoutScenario('cluster-checkout', 'cluster'),
];
