import Link from 'next/link';

/** French 404 page. */
export default function NotFound() {
  return (
    <div className="notice" role="status">
      <h1 className="notice__title">Page introuvable</h1>
      <p>Cette page n’existe pas (ou plus).</p>
      <p>
        <Link href="/" className="button">
          Voir toutes nos créations
        </Link>
      </p>
    </div>
  );
}
