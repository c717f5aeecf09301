import { LegalPage } from '../../components/ui/legal-page';
import { LEGAL_IDENTITY as SELLER } from '../../lib/config';
import { pageMetadata } from '../../lib/seo';

export const metadata = pageMetadata({ title: 'Mentions légales', description: 'Mentions légales de la boutique GirlyCrea.', path: '/mentions-legales' });

/** Mentions légales (LCEN art. 6). */
export default function LegalNoticePage() {
  return (
    <LegalPage title="Mentions légales" updated="1er janvier 2026">
      <h2>Éditeur du site</h2>
      <p>
        {SELLER.name} — {SELLER.legalForm}
        <br />
        {SELLER.address}
        <br />
        SIRET : {SELLER.siret} · TVA : {SELLER.vatNumber}
        <br />
        Contact : <a href={`mailto:${SELLER.email}`}>{SELLER.email}</a>
      </p>
      <h2>Directrice de la publication</h2>
      <p>{SELLER.publisher}</p>
      <h2>Hébergement</h2>
      <p>{SELLER.host}</p>
      <h2>Médiation de la consommation</h2>
      <p>{SELLER.mediator}</p>
      <h2>Propriété intellectuelle</h2>
      <p>Les textes, photographies et créations présentés sur ce site sont la propriété de {SELLER.name}. Toute reproduction sans autorisation est interdite.</p>
    </LegalPage>
  );
}
