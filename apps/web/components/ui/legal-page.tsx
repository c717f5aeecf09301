import type { ReactNode } from 'react';

/** Layout of a legal page: title, last update and readable prose. */
export function LegalPage({ title, updated, children }: { title: string; updated: string; children: ReactNode }) {
  return (
    <article className="legal">
      <h1 className="page-title">{title}</h1>
      <p className="legal__updated">Dernière mise à jour : {updated}</p>
      {children}
    </article>
  );
}
