import type { ProductSummary } from '@girlycrea/contract';
import { ProductCard } from './product-card';

/** A responsive grid of product cards; the first row loads eagerly (above the fold). */
export function ProductGrid({ items, headingLevel = 2 }: { items: ProductSummary[]; headingLevel?: 2 | 3 }) {
  return (
    <ul className="product-grid">
      {items.map((product, index) => (
        <ProductCard key={product.id} product={product} eager={index < 4} headingLevel={headingLevel} />
      ))}
    </ul>
  );
}
