import type { Metadata } from 'next';

/** Shop name as shown in titles and Open Graph. */
export const SHOP_NAME = 'GirlyCrea';

/** Metadata for one page: title, description, canonical URL and matching Open Graph card. */
export function pageMetadata(input: { title?: string; description: string; path: string; image?: string | null; noindex?: boolean }): Metadata {
  return {
    ...(input.title ? { title: input.title } : {}),
    description: input.description,
    alternates: { canonical: input.path },
    openGraph: {
      type: 'website',
      locale: 'fr_FR',
      siteName: SHOP_NAME,
      url: input.path,
      title: input.title ? `${input.title} · ${SHOP_NAME}` : `${SHOP_NAME} — accessoires faits main`,
      description: input.description,
      ...(input.image ? { images: [{ url: input.image }] } : {}),
    },
    ...(input.noindex ? { robots: { index: false, follow: true } } : {}),
  };
}

/** Shortens text for meta descriptions (about 160 characters, cut on a word). */
export function summarize(text: string, max = 160): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  return `${clean.slice(0, clean.lastIndexOf(' ', max - 1)).replace(/[,;:.]$/, '')}…`;
}
