import Link from 'next/link';

/** Previous/next links with "page X sur Y"; `href(page)` builds each target. */
export function Pagination({ page, totalPages, href }: { page: number; totalPages: number; href: (page: number) => string }) {
  if (totalPages <= 1) return null;
  return (
    <nav className="pagination" aria-label="Pagination">
      {page > 1 ? (
        <Link href={href(page - 1)} rel="prev" className="button button--ghost">
          ← Page précédente
        </Link>
      ) : (
        <span />
      )}
      <span className="pagination__status" aria-current="page">
        Page {page} sur {totalPages}
      </span>
      {page < totalPages ? (
        <Link href={href(page + 1)} rel="next" className="button button--ghost">
          Page suivante →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
