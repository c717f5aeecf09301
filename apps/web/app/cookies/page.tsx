import { LegalPage } from '../../components/ui/legal-page';
import { pageMetadata } from '../../lib/seo';

export const metadata = pageMetadata({ title: 'Cookies', description: 'Les cookies utilisés par la boutique GirlyCrea.', path: '/cookies' });

/** Cookie policy: only strictly necessary cookies, so no consent banner is needed (CNIL). */
export default function CookiesPage() {
  return (
    <LegalPage title="Cookies" updated="1er janvier 2026">
      <p>Nous n’utilisons que des cookies strictement nécessaires au fonctionnement de la boutique. Ils ne demandent pas votre consentement et ne servent à aucun suivi publicitaire.</p>
      <table className="legal__table">
        <caption className="visually-hidden">Cookies utilisés</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Rôle</th>
            <th scope="col">Durée</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>sid</td>
            <td>Garde votre panier et votre connexion (session).</td>
            <td>7 jours</td>
          </tr>
        </tbody>
      </table>
      <h2>Mesure d’audience</h2>
      <p>Lorsqu’elle est activée, la mesure d’audience utilise Plausible, un outil sans cookie qui ne collecte aucune donnée personnelle ; elle est exemptée de consentement.</p>
    </LegalPage>
  );
}
