/**
 * The pure pricing engine: every amount is an integer number of cents, VAT included (TTC).
 *
 * Rules, in order:
 * 1. Line total = unit price × quantity. Subtotal = sum of line totals.
 * 2. Discount (only when subtotal ≥ the code's minimum):
 *    - percent p: round(subtotal × p / 100), halves rounded up;
 *    - fixed amount: min(amount, subtotal).
 *    The discount never exceeds the subtotal and never touches shipping.
 * 3. Allocation: the discount is split over the lines in proportion to their totals by the
 *    largest-remainder method — each line gets floor(discount × lineTotal / subtotal), and the
 *    cents left over go one by one to the lines with the largest dropped fractions (earlier line
 *    first on ties). Shares sum exactly to the discount and no share exceeds its line.
 * 4. Shipping: the method's price, or 0 when (subtotal − discount) ≥ its free-shipping threshold.
 * 5. VAT (20 %, prices include it): per line, vat = round(net × 20 / 120) with net = lineTotal −
 *    the line's discount share, halves rounded up; shipping is its own line with the same rule.
 *    Order VAT = sum of the per-line VATs (never recomputed on the total).
 * 6. Total = subtotal − discount + shipping (≥ 0).
 */

/** French standard VAT rate, in percent. */
export const VAT_RATE_PERCENT = 20;

/** One priced line given to the engine. */
export interface PricingLineInput {
  unitPriceCents: number;
  quantity: number;
}

/** A discount as the engine applies it. */
export type PricingDiscount =
  | { kind: 'percent'; value: number; minSubtotalCents: number }
  | { kind: 'fixed'; value: number; minSubtotalCents: number };

/** A shipping method's price and free-shipping threshold (null: never free). */
export interface PricingShipping {
  priceCents: number;
  freeOverCents: number | null;
}

/** One line after pricing. */
export interface PricedLine {
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
  discountCents: number;
  vatCents: number;
}

/** The priced cart or order. */
export interface PricingResult {
  lines: PricedLine[];
  subtotalCents: number;
  discountCents: number;
  /** False when a discount was given but the subtotal is below its minimum. */
  discountApplied: boolean;
  shippingCents: number;
  shippingVatCents: number;
  vatCents: number;
  totalCents: number;
}

function assertCents(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} doit être un entier positif de centimes`);
}

/** VAT included in a VAT-inclusive amount: round(amount × rate / (100 + rate)), halves up, exact in integers. */
export function includedVat(amountCents: number, ratePercent = VAT_RATE_PERCENT): number {
  assertCents(amountCents, 'montant');
  const denominator = BigInt(100 + ratePercent);
  return Number((BigInt(amountCents) * BigInt(ratePercent) * 2n + denominator) / (2n * denominator));
}

/** Splits `amount` over `weights` proportionally (largest remainder); shares sum to `amount`. */
export function allocate(amount: number, weights: number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (amount === 0 || total === 0) return weights.map(() => 0);
  const big = BigInt(amount);
  const bigTotal = BigInt(total);
  const shares = weights.map((weight) => Number((big * BigInt(weight)) / bigTotal));
  const remainders = weights.map((weight, index) => ({ index, remainder: (big * BigInt(weight)) % bigTotal }));
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  let left = amount - shares.reduce((sum, share) => sum + share, 0);
  for (const { index } of remainders) {
    if (left === 0) break;
    shares[index]! += 1;
    left -= 1;
  }
  return shares;
}

function discountAmount(subtotal: number, discount: PricingDiscount): number {
  if (discount.kind === 'percent') return Math.min(subtotal, Number((BigInt(subtotal) * BigInt(discount.value) + 50n) / 100n));
  return Math.min(subtotal, discount.value);
}

/** Prices lines, discount and shipping per the rules above; throws RangeError on non-integer input. */
export function priceOrder(input: {
  lines: PricingLineInput[];
  discount?: PricingDiscount | null;
  shipping?: PricingShipping | null;
}): PricingResult {
  for (const line of input.lines) {
    assertCents(line.unitPriceCents, 'prix unitaire');
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) throw new RangeError('quantité invalide');
  }
  const lineTotals = input.lines.map((line) => line.unitPriceCents * line.quantity);
  lineTotals.forEach((total) => assertCents(total, 'total de ligne'));
  const subtotalCents = lineTotals.reduce((sum, total) => sum + total, 0);

  const discount = input.discount ?? null;
  const discountApplied = discount !== null && subtotalCents >= discount.minSubtotalCents;
  const discountCents = discount && discountApplied ? discountAmount(subtotalCents, discount) : 0;
  const shares = allocate(discountCents, lineTotals);

  const lines = input.lines.map((line, index) => {
    const lineTotalCents = lineTotals[index]!;
    const share = shares[index]!;
    return { unitPriceCents: line.unitPriceCents, quantity: line.quantity, lineTotalCents, discountCents: share, vatCents: includedVat(lineTotalCents - share) };
  });

  const shipping = input.shipping ?? null;
  const goodsAfterDiscount = subtotalCents - discountCents;
  const shippingCents =
    shipping === null || (shipping.freeOverCents !== null && goodsAfterDiscount >= shipping.freeOverCents) ? 0 : shipping.priceCents;
  assertCents(shippingCents, 'frais de port');
  const shippingVatCents = includedVat(shippingCents);

  return {
    lines,
    subtotalCents,
    discountCents,
    discountApplied: discount === null ? true : discountApplied,
    shippingCents,
    shippingVatCents,
    vatCents: lines.reduce((sum, line) => sum + line.vatCents, 0) + shippingVatCents,
    totalCents: goodsAfterDiscount + shippingCents,
  };
}
