'use client';

// Replaces the root layout when it fails itself: a minimal French page, styled inline
// because the global stylesheet may be what failed.

/** Error boundary of the root layout. */
export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="fr">
      <body style={{ fontFamily: 'system-ui, sans-serif', background: '#fffaf5', color: '#3b2a31', textAlign: 'center', padding: '4rem 1rem' }}>
        <h1 style={{ color: '#a8315c' }}>GirlyCrea fait une petite pause…</h1>
        <p>La boutique n’a pas pu s’afficher. Merci de réessayer dans quelques instants.</p>
        <button type="button" onClick={() => retry()} style={{ padding: '0.6rem 1.2rem', borderRadius: '999px', border: 0, background: '#a8315c', color: '#fff', font: 'inherit' }}>
          Réessayer
        </button>
      </body>
    </html>
  );
}
