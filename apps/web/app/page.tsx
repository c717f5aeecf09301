import Link from 'next/link';
import { ProductCard } from '../components/ProductCard';
import { ApiError, getCategories, getProducts, type Category, type ProductPage } from '../lib/api';

// Rendered per request: the catalogue lives in the API, and `next build` must
// succeed without the API running. Fetches still hit Next's data cache
// because they set an explicit `revalidate` (see lib/api/catalog.ts).
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 12;
// Bounds what we forward to the API; larger values are typos or probes.
const MAX_PAGE = 10_000;
const SLUG = /^[\w-]{1,100}$/;

type SearchParams = Record<string, string | string[] | undefined>;

/** First value of a query parameter (`?a=1&a=2` → "1"). */
function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Page number from the query; anything odd falls back to page 1. */
function parsePage(raw: string | undefined): number {
  if (raw === undefined || !/^\d{1,6}$/.test(raw)) return 1;
  const page = Number(raw);
  return page >= 1 && page <= MAX_PAGE ? page : 1;
}

/** Category slug from the query, or undefined when absent or malformed. */
function parseCategory(raw: string | undefined): string | undefined {
  return raw !== undefined && SLUG.test(raw) ? raw : undefined;
}

/** Link target for a catalogue view; page 1 and "all categories" stay implicit. */
function catalogHref(category: string | undefined, page = 1): string {
  const query = new URLSearchParams();
  if (category) query.set('category', category);
  if (page > 1) query.set('page', String(page));
  const qs = query.toString();
  return qs ? `/?${qs}` : '/';
}

/** Depth-first list of the category tree, for a flat row of links. */
function flatten(categories: Category[]): Category[] {
  return categories.flatMap((c) => [c, ...flatten(c.children)]);
}

/** Logs an API failure server-side; shoppers only ever see a French message. */
function logFailure(what: string, reason: unknown): void {
  const detail = reason instanceof ApiError ? `${reason.kind}: ${reason.message}` : String(reason);
  console.error(`[catalogue] ${what} unavailable — ${detail}`);
}

/** Home page: category links, product grid and pagination. */
export default async function CatalogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const category = parseCategory(firstParam(params.category));
  const page = parsePage(firstParam(params.page));

  // Categories are a nice-to-have: if only they fail, still show products.
  const [productsResult, categoriesResult] = await Promise.allSettled([
    getProducts({ category, page, limit: PAGE_SIZE }),
    getCategories(),
  ]);
  if (productsResult.status === 'rejected') logFailure('products', productsResult.reason);
  if (categoriesResult.status === 'rejected') logFailure('categories', categoriesResult.reason);

  const categories = categoriesResult.status === 'fulfilled' ? flatten(categoriesResult.value) : [];
  const current = categories.find((c) => c.slug === category);

  return (
    <>
      <section className="hero" aria-labelledby="titre-catalogue">
        <h1 id="titre-catalogue">{current ? current.name : 'Nos créations'}</h1>
        <p className="hero__lead">
          Bijoux, chouchous, trousses… de jolies pièces cousues et assemblées à la main, en petites séries.
        </p>
      </section>

      {categories.length > 0 && (
        <nav className="categories" aria-label="Catégories">
          <ul>
            <li>
              <Link href="/" className="chip" aria-current={category === undefined ? 'page' : undefined}>
                Tout voir
              </Link>
            </li>
            {categories.map((c) => (
              <li key={c.id}>
                <Link href={catalogHref(c.slug)} className="chip" aria-current={c.slug === category ? 'page' : undefined}>
                  {c.name}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}

      {productsResult.status === 'fulfilled' ? (
        <ProductList result={productsResult.value} category={category} />
      ) : (
        <Unavailable />
      )}
    </>
  );
}

/** Grid plus pagination for one page of results. */
function ProductList({ result, category }: { result: ProductPage; category: string | undefined }) {
  const { items, page, limit, total } = result;
  const totalPages = Math.max(1, Math.ceil(total / Math.max(1, limit)));

  if (items.length === 0) {
    return (
      <div className="notice" role="status">
        {total > 0 ? (
          <>
            <p>Cette page n’existe pas.</p>
            <p>
              <Link href={catalogHref(category)}>Revenir à la première page</Link>
            </p>
          </>
        ) : (
          <p>Aucune création ici pour le moment — revenez bientôt !</p>
        )}
      </div>
    );
  }

  return (
    <>
      <p className="result-count">
        {total} création{total > 1 ? 's' : ''}
      </p>
      <ul className="product-grid">
        {items.map((product, index) => (
          // The first row is above the fold: load it right away.
          <ProductCard key={product.id} product={product} eager={index < 4} />
        ))}
      </ul>
      {totalPages > 1 && (
        <nav className="pagination" aria-label="Pagination">
          {page > 1 ? (
            <Link href={catalogHref(category, page - 1)} rel="prev" className="button">
              ← Page précédente
            </Link>
          ) : (
            <span />
          )}
          <span className="pagination__status">
            Page {page} sur {totalPages}
          </span>
          {page < totalPages ? (
            <Link href={catalogHref(category, page + 1)} rel="next" className="button">
              Page suivante →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
    </>
  );
}

/** Friendly message when the API cannot be reached. */
function Unavailable() {
  return (
    <div className="notice notice--warning" role="alert">
      {/* React hoists this into <head>: keep the outage page out of search indexes. */}
      <meta name="robots" content="noindex" />
      <p className="notice__title">Le catalogue est momentanément indisponible…</p>
      <p>Nos créations font une petite pause. Merci de réessayer dans quelques instants !</p>
      <p>
        <Link href="/" className="button">
          Réessayer
        </Link>
      </p>
    </div>
  );
}
