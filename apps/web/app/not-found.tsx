import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page introuvable', robots: { index: false } };

/** French 404 page. */
export default function NotFound() {
  return (
    <div className="notice">
      <h1 className="notice__title">Page introuvable</h1>
      <p>Cette page n’existe pas (ou plus). Elle a peut-être été cousue dans une autre collection…</p>
      <p>
        <Link href="/" className="button">
          Voir toutes nos créations
        </Link>
      </p>
    </div>
  );
}
