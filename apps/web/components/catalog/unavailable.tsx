import Link from 'next/link';

/** Friendly message when the API cannot be reached and no earlier data is at hand. */
export function Unavailable({ retryHref }: { retryHref: string }) {
  return (
    <div className="notice notice--warning" role="alert">
      {/* React hoists this into <head>: keep the outage page out of search indexes. */}
      <meta name="robots" content="noindex" />
      <p className="notice__title">Le catalogue est momentanément indisponible…</p>
      <p>Nos créations font une petite pause. Merci de réessayer dans quelques instants !</p>
      <p>
        <Link href={retryHref} className="button">
          Réessayer
        </Link>
      </p>
    </div>
  );
}
