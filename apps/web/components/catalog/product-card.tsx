import Link from 'next/link';
import type { ProductSummary } from '@girlycrea/contract';
import { Price } from './price';
import { ProductImage } from './product-image';

/** One product tile of a grid; the whole card is one link to the product page. */
export function ProductCard({ product, eager = false, headingLevel = 2 }: { product: ProductSummary; eager?: boolean; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const onSale = product.compareAtCents !== undefined && product.compareAtCents > product.priceCents;
  return (
    <li className="card">
      <div className="card__media">
        {/* The title right below names the item; alt text would make screen readers read it twice. */}
        <ProductImage src={product.image} alt="" sizes="(min-width: 64rem) 18rem, (min-width: 40rem) 33vw, 50vw" eager={eager} />
        {!product.inStock && <span className="badge badge--out">Épuisé</span>}
        {product.inStock && onSale && <span className="badge badge--sale">Petit prix</span>}
      </div>
      <div className="card__body">
        <Heading className="card__title">
          <Link href={`/produits/${product.slug}`} className="card__link">
            {product.title}
          </Link>
        </Heading>
        <p className="card__price">
          <Price cents={product.priceCents} compareAtCents={product.compareAtCents} />
        </p>
      </div>
    </li>
  );
}
