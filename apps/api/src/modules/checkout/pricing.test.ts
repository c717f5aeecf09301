import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, includedVat, priceOrder, type PricingDiscount } from './pricing.js';

const line = fc.record({ unitPriceCents: fc.integer({ min: 0, max: 5_000_000 }), quantity: fc.integer({ min: 1, max: 99 }) });
const discount: fc.Arbitrary<PricingDiscount | null> = fc.oneof(
  fc.constant(null),
  fc.record({ kind: fc.constant('percent' as const), value: fc.integer({ min: 1, max: 100 }), minSubtotalCents: fc.integer({ min: 0, max: 20_000 }) }),
  fc.record({ kind: fc.constant('fixed' as const), value: fc.integer({ min: 1, max: 50_000_000 }), minSubtotalCents: fc.integer({ min: 0, max: 20_000 }) }),
);
const shipping = fc.oneof(
  fc.constant(null),
  fc.record({ priceCents: fc.integer({ min: 0, max: 5_000 }), freeOverCents: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }) }),
);

describe('pricing engine', () => {
  it('for random carts: lines + shipping − discount = total, never negative, VAT = sum of per-line VATs, all integers', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 0, maxLength: 50 }), discount, shipping, (lines, d, s) => {
        const result = priceOrder({ lines, discount: d, shipping: s });
        const amounts = [result.subtotalCents, result.discountCents, result.shippingCents, result.vatCents, result.totalCents];
        for (const priced of result.lines) amounts.push(priced.lineTotalCents, priced.discountCents, priced.vatCents);
        for (const amount of amounts) {
          expect(Number.isSafeInteger(amount)).toBe(true);
          expect(amount).toBeGreaterThanOrEqual(0);
        }
        const sumLines = result.lines.reduce((sum, l) => sum + l.lineTotalCents, 0);
        expect(sumLines).toBe(result.subtotalCents);
        expect(result.totalCents).toBe(sumLines + result.shippingCents - result.discountCents);
        expect(result.discountCents).toBeLessThanOrEqual(result.subtotalCents);
        expect(result.lines.reduce((sum, l) => sum + l.discountCents, 0)).toBe(result.discountCents);
        for (const priced of result.lines) expect(priced.discountCents).toBeLessThanOrEqual(priced.lineTotalCents);
        expect(result.vatCents).toBe(result.lines.reduce((sum, l) => sum + l.vatCents, 0) + result.shippingVatCents);
        expect(result.vatCents).toBeLessThanOrEqual(result.totalCents);
        if (s === null) expect(result.shippingCents).toBe(0);
      }),
      { numRuns: 2_000 },
    );
  });

  it('VAT of a VAT-inclusive amount is round(amount / 6) at 20 %, halves rounded up', () => {
    expect(includedVat(1200)).toBe(200);
    expect(includedVat(3)).toBe(1); // 0.5 → 1
    expect(includedVat(2)).toBe(0); // 0.33 → 0
    expect(includedVat(1890)).toBe(315);
    expect(includedVat(1891)).toBe(315); // 315.17
    expect(includedVat(1893)).toBe(316); // 315.5 → 316
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e12 }), (n) => includedVat(n) === Math.floor((n + 3) / 6)));
  });

  it('allocates a discount by largest remainder, earlier line first on ties', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(10, [500, 1500])).toEqual([3, 7]); // 2.5 / 7.5 → both .5, the earlier line wins the cent
    expect(allocate(0, [10, 20])).toEqual([0, 0]);
  });

  it('prices a worked example: 10 % code, free Colissimo over 60 €, VAT per line and on shipping', () => {
    const result = priceOrder({
      lines: [
        { unitPriceCents: 1890, quantity: 2 },
        { unitPriceCents: 690, quantity: 3 },
      ],
      discount: { kind: 'percent', value: 10, minSubtotalCents: 0 },
      shipping: { priceCents: 590, freeOverCents: 6000 },
    });
    // 3780 + 2070 = 5850; 10 % = 585 split 378 / 207; goods 5265 < 6000 so shipping 590.
    expect(result).toMatchObject({ subtotalCents: 5850, discountCents: 585, shippingCents: 590, totalCents: 5855 });
    expect(result.lines.map((l) => l.discountCents)).toEqual([378, 207]);
    // VAT: round(3402/6) = 567, round(1863/6) = 311 (310.5 up), round(590/6) = 98.
    expect(result.lines.map((l) => l.vatCents)).toEqual([567, 311]);
    expect(result.vatCents).toBe(567 + 311 + 98);
  });

  it('ignores a discount below its minimum subtotal and says so; a fixed amount never exceeds the subtotal', () => {
    const below = priceOrder({ lines: [{ unitPriceCents: 1000, quantity: 1 }], discount: { kind: 'fixed', value: 500, minSubtotalCents: 3000 } });
    expect(below).toMatchObject({ discountCents: 0, discountApplied: false, totalCents: 1000 });
    const capped = priceOrder({ lines: [{ unitPriceCents: 300, quantity: 1 }], discount: { kind: 'fixed', value: 500, minSubtotalCents: 0 } });
    expect(capped).toMatchObject({ discountCents: 300, totalCents: 0, vatCents: 0 });
  });

  it('rejects non-integer amounts', () => {
    expect(() => priceOrder({ lines: [{ unitPriceCents: 10.5, quantity: 1 }] })).toThrow(RangeError);
    expect(() => priceOrder({ lines: [{ unitPriceCents: 100, quantity: 0 }] })).toThrow(RangeError);
  });
});
