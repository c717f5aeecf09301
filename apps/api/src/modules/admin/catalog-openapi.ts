import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorBody } from '@girlycrea/contract';
import {
  AdminCategory,
  AdminProduct,
  CategoryInput,
  CategoryPatch,
  IdParams,
  ImageOrder,
  ImagePatch,
  ImageQuery,
  ProductInput,
  ProductPatch,
  ProductQuery,
  StockAdjustment,
  VariantInput,
  VariantPatch,
} from './catalog-schema.js';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);
const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
const GATE = { 401: error('Non connecté'), 403: error('Pas administratrice, ou double authentification non validée') } as const;
const Page = (item: z.ZodType, id: string) => z.object({ items: z.array(item), page: z.int(), limit: z.int(), total: z.int() }).meta({ id });

/** Documents the back office's catalogue routes. */
export function registerAdminCatalogOpenApi(registry: OpenAPIRegistry): void {
  const path = registry.registerPath.bind(registry);
  path({
    method: 'get', path: '/api/admin/products', summary: 'Produits (tous statuts) : recherche et pagination', request: { query: ProductQuery },
    responses: { 200: json(Page(AdminProduct, 'AdminProductList'), 'Une page de produits'), 400: error('Filtre invalide'), ...GATE },
  });
  path({
    method: 'post', path: '/api/admin/products', summary: 'Créer un produit', request: body(ProductInput),
    responses: { 201: json(AdminProduct, 'Produit créé'), 400: error('Champ invalide ou catégorie inconnue'), 409: error('Slug déjà utilisé'), ...GATE },
  });
  path({
    method: 'get', path: '/api/admin/products/{id}', summary: 'Un produit avec ses variantes et images', request: { params: IdParams },
    responses: { 200: json(AdminProduct, 'Le produit'), 400: error('Identifiant invalide'), 404: error('Produit introuvable'), ...GATE },
  });
  path({
    method: 'patch', path: '/api/admin/products/{id}', summary: 'Modifier un produit (dont en ligne / archivé)', request: { params: IdParams, ...body(ProductPatch) },
    responses: { 200: json(AdminProduct, 'Le produit modifié'), 400: error('Champ invalide'), 404: error('Produit introuvable'), 409: error('Slug déjà utilisé'), ...GATE },
  });
  path({
    method: 'post', path: '/api/admin/products/{id}/variants', summary: 'Ajouter une variante (taille, couleur…)', request: { params: IdParams, ...body(VariantInput) },
    responses: { 201: json(AdminProduct, 'Le produit avec sa nouvelle variante'), 400: error('Prix ou stock invalide'), 404: error('Produit introuvable'), 409: error('SKU déjà utilisé'), ...GATE },
  });
  path({
    method: 'post', path: '/api/admin/products/{id}/images', summary: 'Ajouter une image (le fichier est le corps ; 10 Mo au plus ; redimensionnée en WebP et AVIF)',
    request: { params: IdParams, query: ImageQuery, body: { content: { 'image/*': { schema: z.string().meta({ format: 'binary' }) } } } },
    responses: { 201: json(z.object({ id: z.uuid(), url: z.string(), alt: z.string(), position: z.int() }), 'Image ajoutée'), 400: error('Pas une image'), 404: error('Produit introuvable'), 413: error('Image trop lourde'), ...GATE },
  });
  path({
    method: 'put', path: '/api/admin/products/{id}/images/order', summary: 'Réordonner les images (la première est celle des listes)', request: { params: IdParams, ...body(ImageOrder) },
    responses: { 200: json(AdminProduct, 'Le produit, images dans le nouvel ordre'), 400: error('Pas exactement les images du produit'), 404: error('Produit introuvable'), ...GATE },
  });
  path({
    method: 'patch', path: '/api/admin/images/{id}', summary: 'Modifier le texte alternatif d’une image', request: { params: IdParams, ...body(ImagePatch) },
    responses: { 200: json(AdminProduct, 'Le produit de l’image'), 400: error('Texte invalide'), 404: error('Image introuvable'), ...GATE },
  });
  path({
    method: 'patch', path: '/api/admin/variants/{id}', summary: 'Modifier une variante (prix, prix barré, seuil de stock bas, statut)', request: { params: IdParams, ...body(VariantPatch) },
    responses: { 200: json(AdminProduct, 'Le produit de la variante'), 400: error('Prix invalide'), 404: error('Variante introuvable'), ...GATE },
  });
  path({
    method: 'post', path: '/api/admin/variants/{id}/stock', summary: 'Ajuster le stock avec un motif', request: { params: IdParams, ...body(StockAdjustment) },
    responses: { 200: json(z.object({ stock: z.int() }), 'Le nouveau stock'), 400: error('Variation invalide'), 404: error('Variante introuvable'), 409: error('Le stock deviendrait négatif'), ...GATE },
  });
  path({
    method: 'get', path: '/api/admin/categories', summary: 'Catégories',
    responses: { 200: json(z.object({ items: z.array(AdminCategory) }), 'Les catégories'), ...GATE },
  });
  path({
    method: 'post', path: '/api/admin/categories', summary: 'Créer une catégorie', request: body(CategoryInput),
    responses: { 201: json(AdminCategory, 'Catégorie créée'), 400: error('Champ invalide'), 409: error('Slug déjà utilisé'), ...GATE },
  });
  path({
    method: 'patch', path: '/api/admin/categories/{id}', summary: 'Modifier une catégorie', request: { params: IdParams, ...body(CategoryPatch) },
    responses: { 200: json(AdminCategory, 'Catégorie modifiée'), 400: error('Champ invalide'), 404: error('Catégorie introuvable'), 409: error('Slug déjà utilisé'), ...GATE },
  });
}
