import type { MetadataRoute } from 'next';
import { SITE_URL } from '../lib/config';

export const dynamic = 'force-dynamic';

/** robots.txt: everything but the private pages and the API. */
export default function robots(): MetadataRoute.Robots {
  return {
    rules: { userAgent: '*', allow: '/', disallow: ['/api/', '/compte', '/panier', '/commande', '/recherche'] },
    sitemap: `${SITE_URL}/sitemap.xml`,
  };
}
