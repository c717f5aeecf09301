import Link from 'next/link';
import type { CategoryNode, ProductSummary } from '@girlycrea/contract';
import { ProductGrid } from '../components/catalog/product-grid';
import { ProductImage } from '../components/catalog/product-image';
import { JsonLd } from '../components/ui/json-ld';
import { Unavailable } from '../components/catalog/unavailable';
import { ApiError, getCategories, getProducts } from '../lib/api';
import { REVALIDATING_IN_BACKGROUND, SITE_URL } from '../lib/config';
import { pageMetadata, SHOP_NAME } from '../lib/seo';

// Served from Next's cache and re-rendered in the background at most once a minute (ISR), like the
// catalog data itself (lib/api/catalog.ts). `next build` prerenders it, with or without the API: a
// page built without it shows the outage notice until the first re-render, a minute after the build.
// Under `next start` an API failure throws, so a failed re-render keeps the last good page cached.
export const revalidate = 60;

export const metadata = pageMetadata({
  description: 'Bijoux, chouchous, trousses et petits cadeaux faits main en petites séries. Découvrez les nouveautés de l’atelier GirlyCrea.',
  path: '/',
});

const FEATURED = 8;

/** Logs an API failure server-side; shoppers only ever see a French message. */
function logFailure(what: string, reason: unknown): void {
  const detail = reason instanceof ApiError ? `${reason.kind}: ${reason.message}` : String(reason);
  console.error(`[accueil] ${what} indisponible — ${detail}`);
}

/** One product picture per top-level category, for the category tiles (best effort). */
async function categoryCovers(categories: CategoryNode[]): Promise<Map<string, ProductSummary>> {
  const covers = await Promise.allSettled(categories.map((c) => getProducts({ category: c.slug, limit: 1 })));
  return new Map(
    covers.flatMap((result, i) => (result.status === 'fulfilled' && result.value.items[0] ? [[categories[i]!.slug, result.value.items[0]] as const] : [])),
  );
}

/** Home page: welcome, categories and the newest creations. */
export default async function HomePage() {
  const [productsResult, categoriesResult] = await Promise.allSettled([getProducts({ sort: 'newest', limit: FEATURED }), getCategories()]);
  if (productsResult.status === 'rejected') logFailure('nouveautés', productsResult.reason);
  if (categoriesResult.status === 'rejected') logFailure('catégories', categoriesResult.reason);
  if (REVALIDATING_IN_BACKGROUND) {
    for (const result of [productsResult, categoriesResult]) if (result.status === 'rejected') throw result.reason;
  }
  const categories = categoriesResult.status === 'fulfilled' ? categoriesResult.value : [];
  const covers = await categoryCovers(categories);
  const showcase = productsResult.status === 'fulfilled' ? productsResult.value.items.filter((p) => p.image).slice(0, 2) : [];

  return (
    <>
      <JsonLd
        data={{
          '@context': 'https://schema.org',
          '@type': 'WebSite',
          name: SHOP_NAME,
          url: `${SITE_URL}/`,
          inLanguage: 'fr-FR',
          potentialAction: { '@type': 'SearchAction', target: `${SITE_URL}/recherche?q={search_term_string}`, 'query-input': 'required name=search_term_string' },
        }}
      />
      <section className="hero" aria-labelledby="titre-accueil">
        <div className="hero__text">
          <p className="hero__kicker">Atelier de créations faites main</p>
          <h1 id="titre-accueil">Des petites douceurs à porter tous les jours</h1>
          <p className="hero__lead">Bijoux, chouchous, trousses… de jolies pièces cousues et assemblées à la main, en petites séries.</p>
          <p className="hero__actions">
            <Link href="#nouveautes" className="button">
              Voir les nouveautés
            </Link>
            {categories[0] && (
              <Link href={`/categorie/${categories[0].slug}`} className="button button--ghost">
                {categories[0].name}
              </Link>
            )}
          </p>
        </div>
        {showcase.length === 2 && (
          <div className="hero__visual" aria-hidden="true">
            {showcase.map((product) => (
              <div key={product.id} className="hero__frame">
                <ProductImage src={product.image} alt="" sizes="(min-width: 48rem) 16rem, 1px" size={320} eager />
              </div>
            ))}
          </div>
        )}
      </section>

      {categories.length > 0 && (
        <section className="home-section" aria-labelledby="titre-categories">
          <h2 id="titre-categories" className="section-title">
            Nos catégories
          </h2>
          <ul className="category-tiles">
            {categories.map((c) => (
              <li key={c.id} className="category-tile">
                <div className="category-tile__media">
                  <ProductImage src={covers.get(c.slug)?.image} alt="" sizes="(min-width: 64rem) 14rem, 45vw" size={240} />
                </div>
                <Link href={`/categorie/${c.slug}`} className="category-tile__link">
                  {c.name}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="home-section" aria-labelledby="nouveautes">
        <h2 id="nouveautes" className="section-title" tabIndex={-1}>
          Nouveautés
        </h2>
        {productsResult.status === 'fulfilled' ? <ProductGrid items={productsResult.value.items} headingLevel={3} /> : <Unavailable retryHref="/" />}
      </section>

      <section className="promises" aria-label="Nos engagements">
        <div>
          <h2>Fait main</h2>
          <p>Chaque pièce est cousue ou montée à la main dans notre atelier.</p>
        </div>
        <div>
          <h2>Petites séries</h2>
          <p>Des modèles en quantités limitées, souvent uniques.</p>
        </div>
        <div>
          <h2>Paiement sécurisé</h2>
          <p>Vos données de paiement ne transitent jamais par nos serveurs.</p>
        </div>
      </section>
    </>
  );
}
