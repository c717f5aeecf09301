import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { CategoryNode } from '@girlycrea/contract';
import { Breadcrumbs } from '../../../components/catalog/breadcrumbs';
import { ProductResults } from '../../../components/catalog/product-results';
import { SortForm } from '../../../components/catalog/sort-form';
import { Unavailable } from '../../../components/catalog/unavailable';
import { ApiError, getCategories, getProducts } from '../../../lib/api';
import { apiSort, firstParam, listingHref, PAGE_SIZE, parsePage, parseSort, type SearchParams } from '../../../lib/catalog-params';
import { pageMetadata } from '../../../lib/seo';
import { settle } from '../../../lib/settle';

export const dynamic = 'force-dynamic';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

interface Props {
  params: Promise<{ slug: string }>;
  searchParams: Promise<SearchParams>;
}

/** The category, its parent (if any) and the chips to show as filters. */
function locate(tree: CategoryNode[], slug: string): { category: CategoryNode; parent: CategoryNode | null } | null {
  for (const root of tree) {
    if (root.slug === slug) return { category: root, parent: null };
    const child = root.children.find((c) => c.slug === slug);
    if (child) return { category: child, parent: root };
  }
  return null;
}

async function loadCategories(): Promise<CategoryNode[] | null> {
  return getCategories().catch(() => null);
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { slug } = await params;
  const page = parsePage(firstParam((await searchParams).page));
  const found = SLUG.test(slug) ? locate((await loadCategories()) ?? [], slug) : null;
  const name = found?.category.name ?? 'Catégorie';
  return pageMetadata({
    title: page > 1 ? `${name} — page ${page}` : name,
    description: `${name} faits main par GirlyCrea : découvrez toutes nos créations, en petites séries.`,
    path: listingHref(`/categorie/${slug}`, { page }),
  });
}

/** Category listing: sub-category filters, sort and pagination. */
export default async function CategoryPage({ params, searchParams }: Props) {
  const { slug } = await params;
  if (!SLUG.test(slug)) notFound();
  const query = await searchParams;
  const page = parsePage(firstParam(query.page));
  const sort = parseSort(firstParam(query.tri));

  const [tree, products] = await Promise.all([
    loadCategories(),
    settle(getProducts({ category: slug, sort: apiSort(sort), page, limit: PAGE_SIZE })),
  ]);
  if (!products.ok && products.error instanceof ApiError && products.error.status === 404) notFound();
  const found = tree ? locate(tree, slug) : null;
  if (tree && !found) notFound();

  const name = found?.category.name ?? 'Nos créations';
  const filters = found ? (found.parent ?? found.category) : null;
  const path = `/categorie/${slug}`;

  return (
    <>
      <Breadcrumbs
        items={[
          { name: 'Accueil', href: '/' },
          ...(found?.parent ? [{ name: found.parent.name, href: `/categorie/${found.parent.slug}` }] : []),
          { name },
        ]}
      />
      <header className="listing-header">
        <h1>{name}</h1>
        {filters && filters.children.length > 0 && (
          <nav className="chips" aria-label="Filtrer par sous-catégorie">
            <ul>
              <li>
                <Link href={`/categorie/${filters.slug}`} className="chip" aria-current={filters.slug === slug ? 'page' : undefined}>
                  Tout voir
                </Link>
              </li>
              {filters.children.map((c) => (
                <li key={c.id}>
                  <Link href={`/categorie/${c.slug}`} className="chip" aria-current={c.slug === slug ? 'page' : undefined}>
                    {c.name}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <SortForm action={path} sort={sort} />
      </header>
      {!products.ok ? (
        <Unavailable retryHref={listingHref(path, { sort, page })} />
      ) : (
        <ProductResults
          result={products.value}
          href={(p) => listingHref(path, { sort, page: p })}
          emptyText="Aucune création dans cette catégorie pour le moment — revenez bientôt !"
        />
      )}
    </>
  );
}
