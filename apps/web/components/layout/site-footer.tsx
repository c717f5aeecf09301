import Link from 'next/link';

/** Shop footer: reassurance, help and the legal pages required in France. */
export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="container site-footer__grid">
        <section aria-labelledby="footer-atelier">
          <h2 id="footer-atelier" className="site-footer__title">
            L’atelier GirlyCrea
          </h2>
          <p>Bijoux, chouchous et trousses cousus et assemblés à la main, en petites séries, avec des matériaux choisis avec soin.</p>
        </section>
        <nav aria-labelledby="footer-aide">
          <h2 id="footer-aide" className="site-footer__title">
            Aide
          </h2>
          <ul>
            <li>
              <Link href="/compte">Mon compte</Link>
            </li>
            <li>
              <Link href="/compte/commandes">Suivre mes commandes</Link>
            </li>
            <li>
              <Link href="/cgv#livraison">Livraison et retours</Link>
            </li>
          </ul>
        </nav>
        <nav aria-labelledby="footer-legal">
          <h2 id="footer-legal" className="site-footer__title">
            Informations légales
          </h2>
          <ul>
            <li>
              <Link href="/cgv">Conditions générales de vente</Link>
            </li>
            <li>
              <Link href="/mentions-legales">Mentions légales</Link>
            </li>
            <li>
              <Link href="/confidentialite">Politique de confidentialité</Link>
            </li>
            <li>
              <Link href="/cookies">Cookies</Link>
            </li>
          </ul>
        </nav>
      </div>
      <p className="site-footer__bottom">© GirlyCrea — créations faites main avec amour. Prix en euros TTC.</p>
    </footer>
  );
}
