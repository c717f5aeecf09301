/** Previous / next under a paged list, with "Page 2 sur 5"; `labels` name the two buttons where the order says more. */
export function Pager({
  page,
  total,
  limit,
  onPage,
  labels = ['Page précédente', 'Page suivante'],
}: {
  page: number;
  total: number;
  limit: number;
  onPage: (page: number) => void;
  labels?: [previous: string, next: string];
}) {
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <nav className="admin-actions" aria-label="Pages">
      <button type="button" className="button button--ghost button--small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {labels[0]}
      </button>
      <span>
        Page {page} sur {pages}
      </span>
      <button type="button" className="button button--ghost button--small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {labels[1]}
      </button>
    </nav>
  );
}
