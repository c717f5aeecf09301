'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { shop } from '../../lib/api/client';
import { refreshCart } from '../../lib/cart-store';
import { EmailVerificationNotice } from './email-verification';
import { OrdersList } from './orders';
import { useRequiredUser } from './use-user';

/** The account dashboard: greeting, recent orders, links and sign-out. */
export function AccountHome() {
  const router = useRouter();
  const { user, error } = useRequiredUser();
  if (error) return <p role="alert">{error}</p>;
  if (!user) return <p role="status">Chargement de votre compte…</p>;

  async function logout() {
    await shop.logout();
    await refreshCart();
    router.push('/');
    router.refresh();
  }

  return (
    <div className="account">
      <p className="account__hello">
        Bonjour <strong>{user.name}</strong> ({user.email})
      </p>
      {!user.emailVerified && <EmailVerificationNotice />}
      <div className="account__grid">
        <section className="panel" aria-labelledby="titre-commandes">
          <h2 id="titre-commandes" className="panel__title">
            Mes commandes
          </h2>
          <OrdersList />
        </section>
        <nav className="panel account__links" aria-label="Mon compte">
          <h2 className="panel__title">Mon espace</h2>
          <ul>
            <li>
              <Link href="/compte/commandes">Toutes mes commandes</Link>
            </li>
            <li>
              <Link href="/compte/adresses">Mes adresses</Link>
            </li>
          </ul>
          <button type="button" className="button button--ghost" onClick={() => void logout()}>
            Se déconnecter
          </button>
        </nav>
      </div>
    </div>
  );
}
