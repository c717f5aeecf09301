import Link from 'next/link';
import { LegalPage } from '../../components/ui/legal-page';
import { LEGAL_IDENTITY as SELLER } from '../../lib/config';
import { pageMetadata } from '../../lib/seo';

export const metadata = pageMetadata({ title: 'Politique de confidentialité', description: 'Comment GirlyCrea traite vos données personnelles.', path: '/confidentialite' });

/** Privacy policy (GDPR). */
export default function PrivacyPage() {
  return (
    <LegalPage title="Politique de confidentialité" updated="1er janvier 2026">
      <h2>Responsable du traitement</h2>
      <p>
        {SELLER.name}, {SELLER.address}. Contact : <a href={`mailto:${SELLER.email}`}>{SELLER.email}</a>.
      </p>
      <h2>Données collectées et finalités</h2>
      <ul>
        <li>Commande : nom, adresse de livraison, e-mail — pour exécuter le contrat de vente (base légale : contrat).</li>
        <li>Compte client : nom, e-mail, mot de passe chiffré, adresses enregistrées — pour vous éviter de les ressaisir.</li>
        <li>Comptabilité : factures conservées 10 ans (obligation légale).</li>
      </ul>
      <p>Vos données de carte bancaire sont traitées directement par notre prestataire de paiement et ne nous sont jamais transmises.</p>
      <h2>Durées de conservation</h2>
      <p>Les données de compte sont conservées jusqu’à sa suppression, puis 3 ans après le dernier contact à des fins de prospection éventuelle, si vous l’avez accepté.</p>
      <h2>Hébergement</h2>
      <p>Le site et ses données sont hébergés sur un serveur situé dans l’Union européenne, sans recours à des services tiers de suivi.</p>
      <h2>Vos droits</h2>
      <p>
        Vous disposez d’un droit d’accès, de rectification, d’effacement, de limitation, d’opposition et de portabilité. Écrivez-nous à{' '}
        <a href={`mailto:${SELLER.email}`}>{SELLER.email}</a>. Vous pouvez aussi introduire une réclamation auprès de la CNIL.
      </p>
      <p>
        Voir aussi notre page <Link href="/cookies">cookies</Link>.
      </p>
    </LegalPage>
  );
}
