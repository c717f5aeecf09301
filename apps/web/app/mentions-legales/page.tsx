import { COMPANY, LegalPage } from '../../components/ui/legal-page';
import { pageMetadata } from '../../lib/seo';

export const metadata = pageMetadata({ title: 'Mentions légales', description: 'Mentions légales de la boutique GirlyCrea.', path: '/mentions-legales' });

/** Mentions légales (LCEN art. 6). */
export default function LegalNoticePage() {
  return (
    <LegalPage title="Mentions légales" updated="1er janvier 2026">
      <h2>Éditeur du site</h2>
      <p>
        {COMPANY.name} — {COMPANY.legalForm}
        <br />
        {COMPANY.address}
        <br />
        SIRET : {COMPANY.siret} · TVA : {COMPANY.vat}
        <br />
        Contact : <a href={`mailto:${COMPANY.email}`}>{COMPANY.email}</a>
      </p>
      <h2>Directrice de la publication</h2>
      <p>{COMPANY.publisher}</p>
      <h2>Hébergement</h2>
      <p>{COMPANY.host}</p>
      <h2>Propriété intellectuelle</h2>
      <p>Les textes, photographies et créations présentés sur ce site sont la propriété de {COMPANY.name}. Toute reproduction sans autorisation est interdite.</p>
    </LegalPage>
  );
}
