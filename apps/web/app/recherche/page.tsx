import type { Metadata } from 'next';
import { ProductResults } from '../../components/catalog/product-results';
import { SortForm } from '../../components/catalog/sort-form';
import { Unavailable } from '../../components/catalog/unavailable';
import { getProducts } from '../../lib/api';
import { apiSort, firstParam, listingHref, PAGE_SIZE, parsePage, parseSort, type SearchParams } from '../../lib/catalog-params';
import { pageMetadata } from '../../lib/seo';
import { settle } from '../../lib/settle';

export const dynamic = 'force-dynamic';

interface Props {
  searchParams: Promise<SearchParams>;
}

/** The search text: trimmed, control characters dropped, at most 200 characters (the API's limit). */
function parseQuery(raw: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (raw ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 200);
}

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const q = parseQuery(firstParam((await searchParams).q));
  return pageMetadata({
    title: q ? `Recherche « ${q} »` : 'Recherche',
    description: 'Recherchez parmi les créations faites main de GirlyCrea.',
    path: '/recherche',
    // Result pages are endless variations of the catalogue: keep them out of indexes.
    noindex: true,
  });
}

/** Search results, sortable and paginated. */
export default async function SearchPage({ searchParams }: Props) {
  const query = await searchParams;
  const q = parseQuery(firstParam(query.q));
  const page = parsePage(firstParam(query.page));
  const sort = parseSort(firstParam(query.tri));
  const results = q ? await settle(getProducts({ q, sort: apiSort(sort), page, limit: PAGE_SIZE })) : null;

  return (
    <>
      <header className="listing-header">
        <h1>{q ? `Résultats pour « ${q} »` : 'Que cherchez-vous ?'}</h1>
        {q && <SortForm action="/recherche" sort={sort} hidden={{ q }} defaultLabel="Pertinence" />}
      </header>
      {!results ? (
        <div className="notice" role="status">
          <p>Tapez un mot dans le champ « Rechercher » en haut de la page : bracelet, velours, cadeau…</p>
        </div>
      ) : results.ok ? (
        <ProductResults
          result={results.value}
          href={(p) => listingHref('/recherche', { q, sort, page: p })}
          emptyText="Aucune création ne correspond à votre recherche. Essayez un autre mot !"
        />
      ) : (
        <Unavailable retryHref={listingHref('/recherche', { q, sort, page })} />
      )}
    </>
  );
}
