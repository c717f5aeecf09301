import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './admin.css';

export const metadata: Metadata = { title: 'Administration', robots: { index: false, follow: false } };

/** The back office frame: its menu, then the page. */
export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label="Administration">
        <Link href="/admin">Commandes</Link>
        <Link href="/admin/produits">Produits</Link>
        <Link href="/admin/journal">Journal</Link>
      </nav>
      {children}
    </div>
  );
}
