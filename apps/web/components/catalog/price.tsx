import { formatPrice } from '../../lib/api/money';

/** A price, with the former one struck through when the item is on sale. */
export function Price({ cents, compareAtCents, large = false }: { cents: number; compareAtCents?: number | null; large?: boolean }) {
  const onSale = compareAtCents != null && compareAtCents > cents;
  return (
    <span className={large ? 'prices prices--large' : 'prices'}>
      <span className={onSale ? 'price price--sale' : 'price'}>
        {onSale && <span className="visually-hidden">Prix soldé : </span>}
        {formatPrice(cents)}
      </span>
      {onSale && (
        <s className="price price--was">
          <span className="visually-hidden">Prix initial : </span>
          {formatPrice(compareAtCents)}
        </s>
      )}
    </span>
  );
}
