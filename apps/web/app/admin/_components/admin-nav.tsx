'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/admin', label: 'Tableau de bord' },
  { href: '/admin/commandes', label: 'Commandes' },
  { href: '/admin/produits', label: 'Produits' },
  { href: '/admin/clientes', label: 'Clientes' },
  { href: '/admin/codes-promo', label: 'Codes promo' },
  { href: '/admin/livraison', label: 'Livraison' },
  { href: '/admin/journal', label: 'Journal' },
];

/** The back office menu; the current section is marked for screen readers and the eye. */
export function AdminNav() {
  const pathname = usePathname();
  const current = (href: string) => (href === '/admin' ? pathname === '/admin' : pathname === href || pathname.startsWith(`${href}/`));
  return (
    <nav className="admin-nav" aria-label="Administration">
      {LINKS.map((link) => (
        <Link key={link.href} href={link.href} aria-current={current(link.href) ? 'page' : undefined}>
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
