import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { exec, many, withTransaction, type Pool } from '../index.js';

/** A variant an order line can snapshot. */
interface LineSource {
  id: string;
  sku: string;
  title: string;
  variant_title: string;
  price_cents: number;
}

const SHIPPING = { id: 'colissimo', name: 'Colissimo à domicile', priceCents: 590, freeOverCents: 6000 } as const;
const CITIES = ['Lyon', 'Nantes', 'Lille', 'Bordeaux', 'Rennes', 'Marseille', 'Toulouse', 'Paris'] as const;
const BATCH = 500;

/** VAT included in a TTC amount at 20 %, rounded to the cent. */
function vatOf(cents: number): number {
  return Math.round((cents * 20) / 120);
}

/**
 * Writes orders straight into the tables, as a checkout would leave them once paid (lines, VAT,
 * shipping): for benchmarks and backup drills, not for the shop. Stock is not taken.
 */
export interface OrderWriter {
  /** Inserts `count` orders in one transaction; returns their ids. */
  write(count: number): Promise<string[]>;
}

/** Loads up to 1,000 variants once and returns a writer of generated paid orders; throws without a catalog. */
export async function createOrderWriter(pool: Pool): Promise<OrderWriter> {
  const variants = await many<LineSource>(
    pool,
    `SELECT v.id, v.sku, p.title, v.title AS variant_title, v.price_cents
     FROM variants v JOIN products p ON p.id = v.product_id ORDER BY v.sku LIMIT 1000`,
  );
  if (variants.length === 0) throw new Error('aucune variante en base : lancez d’abord npm run seed (catalogue)');
  let n = 0;
  return {
    async write(count) {
      const orders: { id: string; email: string; city: string; subtotal: number; shipping: number; vat: number; hash: Buffer }[] = [];
      const lines: { orderId: string; position: number; variant: LineSource; quantity: number }[] = [];
      for (let i = 0; i < count; i += 1) {
        n += 1;
        const id = randomUUID();
        let subtotal = 0;
        let vat = 0;
        const lineCount = 1 + (n % 3);
        for (let position = 1; position <= lineCount; position += 1) {
          const variant = variants[(n * 7 + position * 13) % variants.length] as LineSource;
          const quantity = 1 + ((n + position) % 3);
          const total = variant.price_cents * quantity;
          subtotal += total;
          vat += vatOf(total);
          lines.push({ orderId: id, position, variant, quantity });
        }
        const shipping = subtotal >= SHIPPING.freeOverCents ? 0 : SHIPPING.priceCents;
        orders.push({ id, email: `client${n}@exemple.fr`, city: CITIES[n % CITIES.length] ?? 'Lyon', subtotal, shipping, vat: vat + vatOf(shipping), hash: createHash('sha256').update(randomBytes(32)).digest() });
      }
      await withTransaction(pool, async (tx) => {
        await exec(
          tx,
          `INSERT INTO orders (id, access_token_hash, email, status, shipping_address, shipping_method_id, shipping_method_name,
             payment_provider, subtotal_cents, discount_cents, shipping_cents, vat_cents, total_cents, expires_at, paid_at)
           SELECT u.id, u.hash, u.email, 'paid',
                  jsonb_build_object('name', 'Client test', 'line1', '1 rue de la Paix', 'postalCode', '69001', 'city', u.city, 'country', 'FR'),
                  $7, $8, 'test', u.subtotal, 0, u.shipping, u.vat, u.subtotal + u.shipping, now() + interval '30 minutes', now()
           FROM unnest($1::uuid[], $2::bytea[], $3::text[], $4::text[], $5::int[], $6::int[], $9::int[]) AS u(id, hash, email, city, subtotal, shipping, vat)`,
          [orders.map((o) => o.id), orders.map((o) => o.hash), orders.map((o) => o.email), orders.map((o) => o.city), orders.map((o) => o.subtotal), orders.map((o) => o.shipping), SHIPPING.id, SHIPPING.name, orders.map((o) => o.vat)],
        );
        await exec(
          tx,
          `INSERT INTO order_lines (order_id, position, variant_id, sku, title, variant_title, quantity, unit_price_cents, line_total_cents, discount_cents, vat_cents)
           SELECT u.order_id, u.position, u.variant_id, u.sku, u.title, u.variant_title, u.quantity, u.price, u.price * u.quantity, 0, round(u.price * u.quantity * 20 / 120.0)::int
           FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[])
             AS u(order_id, position, variant_id, sku, title, variant_title, quantity, price)`,
          [
            lines.map((l) => l.orderId),
            lines.map((l) => l.position),
            lines.map((l) => l.variant.id),
            lines.map((l) => l.variant.sku),
            lines.map((l) => l.variant.title),
            lines.map((l) => l.variant.variant_title),
            lines.map((l) => l.quantity),
            lines.map((l) => l.variant.price_cents),
          ],
        );
      });
      return orders.map((o) => o.id);
    },
  };
}

/** Inserts `orders` generated paid orders, 500 per transaction, reporting progress. */
export async function seedOrders(pool: Pool, options: { orders: number; onProgress?: (line: string) => void }): Promise<number> {
  const writer = await createOrderWriter(pool);
  for (let done = 0; done < options.orders; ) {
    const size = Math.min(BATCH, options.orders - done);
    await writer.write(size);
    done += size;
    if (done % 10_000 === 0 || done === options.orders) options.onProgress?.(`commandes ${done}/${options.orders}`);
  }
  return options.orders;
}
