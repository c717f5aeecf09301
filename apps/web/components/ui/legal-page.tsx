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

/**
 * Company details required by French law (LCEN art. 6). Values in brackets are to be
 * completed by the shop owner before opening; they are kept in one place on purpose.
 */
export const COMPANY = {
  name: 'GirlyCrea',
  legalForm: 'Entreprise individuelle [forme juridique à compléter]',
  address: '[adresse du siège à compléter], France',
  siret: '[SIRET à compléter]',
  vat: '[n° de TVA intracommunautaire à compléter]',
  email: 'bonjour@girlycrea.fr',
  publisher: '[nom de la directrice de la publication à compléter]',
  host: '[hébergeur du serveur : nom, adresse et téléphone à compléter]',
} as const;
