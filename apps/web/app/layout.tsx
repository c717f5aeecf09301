import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: {
    default: 'GirlyCrea — accessoires faits main',
    // Later pages set only their own name, e.g. "Chouchous · GirlyCrea".
    template: '%s · GirlyCrea',
  },
  description:
    'Bijoux, chouchous, trousses et petits accessoires faits main avec soin, en petites séries, par GirlyCrea.',
};

export const viewport: Viewport = {
  themeColor: '#fbe4ec',
};

/** Root layout: French document shell with the shop header and footer. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="fr">
      <body>
        {/* Keyboard users skip the header straight to the catalogue. */}
        <a className="skip-link" href="#contenu">
          Aller au contenu
        </a>
        <header className="site-header">
          <div className="container site-header__inner">
            <Link href="/" className="brand">
              <span className="brand__name">GirlyCrea</span>
              <span className="brand__tagline">accessoires faits main</span>
            </Link>
          </div>
        </header>
        <main id="contenu" className="container site-main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            <p>GirlyCrea — créations faites main avec amour 🎀</p>
          </div>
        </footer>
      </body>
    </html>
  );
}
