import Image from 'next/image';
import { formatPrice, type ProductListItem } from '../lib/api';

// Only media served by our API (through the /api rewrite) is rendered with
// next/image; anything else would make next/image throw at render time
// (unknown remote host / path outside images.localPatterns).
const MEDIA_PATH = /^\/api\/media\/[^?#]+$/;

/** Returns the image path when it is safe to hand to next/image, else null. */
function mediaPath(image: string | null): string | null {
  return image !== null && MEDIA_PATH.test(image) && !image.includes('..') ? image : null;
}

/** One product tile of the catalogue grid. */
export function ProductCard({ product, eager = false }: { product: ProductListItem; eager?: boolean }) {
  const src = mediaPath(product.image);
  const onSale = product.compareAtCents !== null && product.compareAtCents > product.priceCents;

  return (
    <li className="card">
      <div className="card__media">
        {src ? (
          <Image
            src={src}
            // The title right below already names the item; repeating it as
            // alt text would make screen readers read it twice.
            alt=""
            width={480}
            height={480}
            sizes="(min-width: 64rem) 25vw, (min-width: 40rem) 33vw, 50vw"
            // SVGs bypass the optimizer (see next.config.ts); rasters use it.
            unoptimized={src.toLowerCase().endsWith('.svg')}
            loading={eager ? 'eager' : 'lazy'}
          />
        ) : (
          <div className="card__placeholder" aria-hidden="true">
            🎀
          </div>
        )}
        {!product.inStock && <span className="badge badge--out">Rupture de stock</span>}
      </div>
      <div className="card__body">
        <h2 className="card__title">{product.title}</h2>
        <p className="card__price">
          <span className={onSale ? 'price price--sale' : 'price'}>{formatPrice(product.priceCents)}</span>
          {onSale && product.compareAtCents !== null && (
            <s className="price price--was">
              <span className="visually-hidden">Prix initial : </span>
              {formatPrice(product.compareAtCents)}
            </s>
          )}
        </p>
      </div>
    </li>
  );
}
