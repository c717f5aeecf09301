'use client';

// Last-resort boundary for unexpected render errors: shoppers get a French message and a
// retry button, never a stack trace (details stay in server logs, matched by error.digest).

/** Error boundary for the storefront pages. */
export default function ErrorPage({ retry }: { error: unknown; retry: () => void }) {
  return (
    <div className="notice notice--warning" role="alert">
      <h1 className="notice__title">Oups, quelque chose s’est mal passé…</h1>
      <p>La page n’a pas pu s’afficher. Merci de réessayer dans quelques instants.</p>
      <p>
        <button type="button" className="button" onClick={() => retry()}>
          Réessayer
        </button>
      </p>
    </div>
  );
}
