import type { MetadataRoute } from 'next';
import type { ProductSummary } from '@girlycrea/contract';
import { flattenCategories, getCategories, getProducts } from '../lib/api';
import { SITE_URL } from '../lib/config';

// Built per request from cached catalog reads, so `next build` never needs the API.
export const dynamic = 'force-dynamic';

const LEGAL = ['/cgv', '/mentions-legales', '/confidentialite', '/cookies'];
const MAX_PAGES = 50;

async function allProducts(): Promise<ProductSummary[]> {
  const first = await getProducts({ sort: 'newest', limit: 100, page: 1 });
  const pages = Math.min(MAX_PAGES, Math.ceil(first.total / 100));
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => getProducts({ sort: 'newest', limit: 100, page: i + 2 })));
  return [first, ...rest].flatMap((page) => page.items);
}

/** sitemap.xml: home, categories, products and legal pages (the catalog part is best effort). */
export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const [categories, products] = await Promise.all([getCategories().catch(() => []), allProducts().catch(() => [])]);
  return [
    { url: `${SITE_URL}/`, changeFrequency: 'daily', priority: 1 },
    ...flattenCategories(categories).map((c) => ({ url: `${SITE_URL}/categorie/${c.slug}`, changeFrequency: 'daily' as const, priority: 0.8 })),
    ...products.map((p) => ({ url: `${SITE_URL}/produits/${p.slug}`, changeFrequency: 'weekly' as const, priority: 0.7 })),
    ...LEGAL.map((path) => ({ url: `${SITE_URL}${path}`, changeFrequency: 'yearly' as const, priority: 0.2 })),
  ];
}
