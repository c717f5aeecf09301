import Link from 'next/link';
import { LegalPage } from '../../components/ui/legal-page';
import { LEGAL_IDENTITY as SELLER } from '../../lib/config';
import { pageMetadata } from '../../lib/seo';

export const metadata = pageMetadata({ title: 'Conditions générales de vente', description: 'Conditions générales de vente de la boutique GirlyCrea.', path: '/cgv' });

/** Conditions générales de vente (B2C, French consumer law). */
export default function CgvPage() {
  return (
    <LegalPage title="Conditions générales de vente" updated="1er janvier 2026">
      <h2>1. Objet</h2>
      <p>
        Les présentes conditions régissent les ventes conclues sur la boutique en ligne {SELLER.name} ({SELLER.legalForm}, SIRET {SELLER.siret}) entre {SELLER.name} et toute
        personne physique agissant en qualité de consommateur.
      </p>
      <h2>2. Prix</h2>
      <p>Les prix sont indiqués en euros, toutes taxes comprises (TVA française de 20 % incluse). Les frais de livraison sont indiqués avant la validation de la commande.</p>
      <h2>3. Commande</h2>
      <p>
        La commande est conclue après la validation du paiement. Un e-mail de confirmation récapitulant la commande est envoyé à l’adresse indiquée. Les créations étant faites
        main, de légères variations de teinte ou de forme peuvent exister d’une pièce à l’autre.
      </p>
      <h2>4. Paiement</h2>
      <p>Le paiement s’effectue par carte bancaire via un prestataire sécurisé. {SELLER.name} n’a jamais accès à vos données de carte.</p>
      <h2 id="livraison">5. Livraison</h2>
      <p>
        Les commandes sont expédiées à l’adresse indiquée lors de la commande, selon le mode de livraison choisi. Les délais indiqués sont donnés à titre indicatif ; en cas de
        retard supérieur à 30 jours, vous pouvez annuler la commande et être remboursé.
      </p>
      <h2>6. Droit de rétractation</h2>
      <p>
        Conformément à l’article L221-18 du Code de la consommation, vous disposez de 14 jours à compter de la réception de votre commande pour exercer votre droit de
        rétractation, sans avoir à le justifier, en écrivant à <a href={`mailto:${SELLER.email}`}>{SELLER.email}</a>. Les articles sont à retourner dans leur état d’origine ;
        les frais de retour sont à votre charge. Le remboursement intervient sous 14 jours après réception du retour. Les articles personnalisés (prénom brodé, bracelet
        prénom) sont exclus du droit de rétractation (article L221-28).
      </p>
      <h2>7. Garanties</h2>
      <p>
        Les produits bénéficient de la garantie légale de conformité (articles L217-3 et suivants du Code de la consommation) et de la garantie des vices cachés (articles 1641 et
        suivants du Code civil).
      </p>
      <h2>8. Médiation</h2>
      <p>
        En cas de litige, vous pouvez recourir gratuitement à le médiateur de la consommation : {SELLER.mediator}, ou à la plateforme européenne de
        règlement en ligne des litiges.
      </p>
      <h2>9. Données personnelles</h2>
      <p>
        Voir notre <Link href="/confidentialite">politique de confidentialité</Link>.
      </p>
    </LegalPage>
  );
}
