import { z } from 'zod';
import { Money } from './common.js';

/** What every line of a cart or an order says: the variant, its titles, quantity and prices. */
export const LineItem = z.object({
  variantId: z.uuid(),
  sku: z.string(),
  title: z.string(),
  variantTitle: z.string(),
  quantity: z.int(),
  unitPriceCents: Money,
  lineTotalCents: Money,
});
