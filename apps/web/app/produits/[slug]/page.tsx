import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import type { ProductDetail } from '@girlycrea/contract';
import { Breadcrumbs } from '../../../components/catalog/breadcrumbs';
import { AddToCart } from '../../../components/product/add-to-cart';
import { firstChoice } from '../../../components/product/first-choice';
import { Gallery } from '../../../components/product/gallery';
import { VariantSelection } from '../../../components/product/variant-selection';
import { JsonLd } from '../../../components/ui/json-ld';
import { getProduct } from '../../../lib/api';
import { SITE_URL } from '../../../lib/config';
import { pageMetadata, SHOP_NAME, summarize } from '../../../lib/seo';

// Incremental static regeneration: a product page is rendered on its first visit, then served from
// Next's cache until the API reports a change to this product (POST /revalidate), and re-rendered in
// the background at most once a minute as a safety net (lib/api/catalog.ts). Nothing is prerendered at build: `next build` runs without the API.
// An API failure throws (error.tsx beside this page answers): a failed render is never cached, and a
// failed background re-render keeps the last good page.
export const revalidate = 60;
export function generateStaticParams(): { slug: string }[] {
  return [];
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

interface Props {
  params: Promise<{ slug: string }>;
}

async function load(slug: string): Promise<ProductDetail | null> {
  return SLUG.test(slug) ? getProduct(slug) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const product = await load(slug);
  if (!product) return { title: 'Création', robots: { index: false } };
  return pageMetadata({ title: product.title, description: summarize(product.description), path: `/produits/${product.slug}`, image: product.images[0]?.url });
}

/** schema.org Product with one Offer per variant, for rich results. */
function productJsonLd(product: ProductDetail): Record<string, unknown> {
  const url = `${SITE_URL}/produits/${product.slug}`;
  return {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: product.title,
    description: product.description,
    url,
    image: product.images.map((image) => `${SITE_URL}${image.url}`),
    sku: product.variants[0]?.sku,
    brand: { '@type': 'Brand', name: SHOP_NAME },
    category: product.categories[0]?.name,
    offers: product.variants.map((variant) => ({
      '@type': 'Offer',
      sku: variant.sku,
      name: variant.title,
      price: (variant.priceCents / 100).toFixed(2),
      priceCurrency: product.currency,
      availability: variant.inStock ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock',
      itemCondition: 'https://schema.org/NewCondition',
      url,
      seller: { '@type': 'Organization', name: SHOP_NAME },
    })),
  };
}

/** Product page: gallery, variant choice, price and stock, add to cart. */
export default async function ProductPage({ params }: Props) {
  const { slug } = await params;
  const product = await load(slug);
  if (!product) notFound();
  const category = product.categories[0];

  return (
    <>
      <JsonLd data={productJsonLd(product)} />
      <Breadcrumbs items={[{ name: 'Accueil', href: '/' }, ...(category ? [{ name: category.name, href: `/categorie/${category.slug}` }] : []), { name: product.title }]} />
      <VariantSelection initial={firstChoice(product.variants)}>
        <article className="product">
          <Gallery images={product.images} title={product.title} initialVariantId={firstChoice(product.variants)} />
          <div className="product__info">
            <h1 className="product__title">{product.title}</h1>
            <AddToCart slug={product.slug} variants={product.variants} title={product.title} />
            <section className="product__description" aria-labelledby="titre-description">
              <h2 id="titre-description">Description</h2>
              <p>{product.description}</p>
            </section>
            <ul className="product__promises">
              <li>Fait main dans notre atelier</li>
              <li>Emballage soigné, prêt à offrir</li>
              <li>Paiement sécurisé</li>
            </ul>
          </div>
        </article>
      </VariantSelection>
    </>
  );
}
