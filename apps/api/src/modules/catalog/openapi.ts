import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { CategoryTree, ErrorBody, ProductDetail, ProductList, ProductListQuery, ProductSlugParams } from '@girlycrea/contract';

/** Documents the catalog routes from the schemas that validate them. */
export function registerCatalogOpenApi(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/categories',
    summary: 'Arbre des catégories',
    responses: { 200: { description: 'Catégories', content: { 'application/json': { schema: CategoryTree } } } },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/products',
    summary: 'Liste des produits (filtres, tri, recherche en français, pagination)',
    request: { query: ProductListQuery },
    responses: {
      200: { description: 'Une page de produits', content: { 'application/json': { schema: ProductList } } },
      400: { description: 'Paramètre invalide', content: { 'application/json': { schema: ErrorBody } } },
      404: { description: 'Catégorie inconnue', content: { 'application/json': { schema: ErrorBody } } },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/products/{slug}',
    summary: 'Fiche produit',
    request: { params: ProductSlugParams },
    responses: {
      200: { description: 'Le produit', content: { 'application/json': { schema: ProductDetail } } },
      404: { description: 'Produit introuvable', content: { 'application/json': { schema: ErrorBody } } },
    },
  });
}
