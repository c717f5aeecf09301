import Link from 'next/link';
import type { ProductList } from '@girlycrea/contract';
import { Pagination } from './pagination';
import { ProductGrid } from './product-grid';

/** A page of results: count, grid and pagination, or a friendly empty state. */
export function ProductResults({ result, href, emptyText }: { result: ProductList; href: (page: number) => string; emptyText: string }) {
  const { items, page, limit, total } = result;
  const totalPages = Math.max(1, Math.ceil(total / Math.max(1, limit)));
  if (items.length === 0) {
    return (
      <div className="notice" role="status">
        {total > 0 ? (
          <>
            <p>Cette page n’existe pas.</p>
            <p>
              <Link href={href(1)}>Revenir à la première page</Link>
            </p>
          </>
        ) : (
          <p>{emptyText}</p>
        )}
      </div>
    );
  }
  return (
    <>
      <p className="result-count" role="status">
        {total} création{total > 1 ? 's' : ''}
      </p>
      <ProductGrid items={items} />
      <Pagination page={page} totalPages={totalPages} href={href} />
    </>
  );
}
