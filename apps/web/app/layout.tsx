import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Analytics } from '../components/layout/analytics';
import { SiteFooter } from '../components/layout/site-footer';
import { SiteHeader } from '../components/layout/site-header';
import { SITE_URL } from '../lib/config';
import { SHOP_NAME } from '../lib/seo';
import './globals.css';

const DESCRIPTION = 'Bijoux, chouchous, trousses et petits accessoires faits main avec soin, en petites séries, par GirlyCrea.';

export const metadata: Metadata = {
  metadataBase: new URL(SITE_URL),
  title: {
    default: `${SHOP_NAME} — accessoires faits main`,
    // Pages set only their own name, e.g. "Chouchous · GirlyCrea".
    template: `%s · ${SHOP_NAME}`,
  },
  description: DESCRIPTION,
  applicationName: SHOP_NAME,
  openGraph: { type: 'website', locale: 'fr_FR', siteName: SHOP_NAME, description: DESCRIPTION },
  formatDetection: { telephone: false },
};

export const viewport: Viewport = {
  themeColor: '#fde7ee',
};

/** Root layout: French document shell with the shop header and footer. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="fr">
      <body>
        {/* Keyboard users skip the header straight to the content. */}
        <a className="skip-link" href="#contenu">
          Aller au contenu
        </a>
        <SiteHeader />
        <main id="contenu" className="container site-main" tabIndex={-1}>
          {children}
        </main>
        <SiteFooter />
        <Analytics />
      </body>
    </html>
  );
}
