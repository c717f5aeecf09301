import Link from 'next/link';
import type { CategoryNode } from '@girlycrea/contract';
import { getCategories } from '../../lib/api';
import { CartLink } from './cart-link';
import { SearchForm } from './search-form';

async function topCategories(): Promise<CategoryNode[]> {
  // The menu is a nice-to-have: without the API the header still renders.
  return getCategories().catch(() => []);
}

/** Shop header: brand, search, account and cart links, category menu. */
export async function SiteHeader() {
  const categories = await topCategories();
  return (
    <header className="site-header">
      <p className="announcement">Fait main en petites séries · Paiement sécurisé</p>
      <div className="container site-header__inner">
        <Link href="/" className="brand">
          <span className="brand__name">GirlyCrea</span>
          <span className="brand__tagline">accessoires faits main</span>
        </Link>
        <div className="site-header__search">
          <SearchForm />
        </div>
        <nav className="header-actions" aria-label="Mon espace">
          <Link href="/compte" className="header-action">
            <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
              <circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" strokeWidth="1.8" />
              <path d="M4 20c1.5-4 4.5-6 8-6s6.5 2 8 6" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
            <span>Mon compte</span>
          </Link>
          <CartLink />
        </nav>
      </div>
      {categories.length > 0 && (
        <nav className="category-menu" aria-label="Catégories">
          <ul className="container">
            {categories.map((c) => (
              <li key={c.id}>
                <Link href={`/categorie/${c.slug}`}>{c.name}</Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </header>
  );
}
