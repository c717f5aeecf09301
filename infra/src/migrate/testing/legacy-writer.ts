import pg from 'pg';

/** An order the old shop committed (acknowledged to the customer). */
export interface AcknowledgedOrder {
  id: string;
  totalCents: number;
  status: string;
}

/** The old shop, still selling: new customers and orders, and status changes of older orders. */
export interface LegacyWriter {
  /** Committed orders, by legacy id. */
  acknowledged: Map<string, AcknowledgedOrder>;
  customers: number;
  /** Stops writing (the freeze); resolves once the last write has finished. */
  stop(): Promise<void>;
}

/** Starts writing to the legacy database as fast as one connection can (plus a short pause between orders). */
export async function startLegacyWriter(url: string, pauseMs = 5): Promise<LegacyWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const acknowledged = new Map<string, AcknowledgedOrder>();
  const state = { running: true, customers: 0 };
  let n = 0;
  const loop = (async () => {
    while (state.running) {
      n += 1;
      await client.query('BEGIN');
      let userId: string;
      if (n % 3 === 0) {
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO auth.users (email, encrypted_password, raw_user_meta_data) VALUES ($1, extensions.crypt('nouvelle-' || $2, extensions.gen_salt('bf', 4)), jsonb_build_object('full_name', 'Nouvelle ' || $2))
           RETURNING id`,
          [`nouvelle-${Date.now()}-${n}@exemple.fr`, String(n)],
        );
        userId = rows[0]!.id;
        await client.query(`INSERT INTO public.addresses (user_id, full_name, street, zip, city) VALUES ($1, 'Nouvelle', '1 rue Neuve', '69001', 'Lyon')`, [userId]);
        state.customers += 1;
      } else {
        const { rows } = await client.query<{ id: string }>('SELECT id FROM auth.users ORDER BY random() LIMIT 1');
        userId = rows[0]!.id;
      }
      const { rows: order } = await client.query<{ id: string }>(
        `INSERT INTO public.orders (user_id, email, status, shipping_address, shipping_method)
         SELECT id, email, 'paid', '{"full_name":"Cliente","street":"2 rue Vive","zip":"13001","city":"Marseille"}', 'colissimo' FROM auth.users WHERE id = $1
         RETURNING id`,
        [userId],
      );
      const orderId = order[0]!.id;
      await client.query(
        `INSERT INTO public.order_items (order_id, variant_id, product_name, variant_name, sku, quantity, unit_price)
         SELECT $1, v.id, p.name, v.name, v.sku, 1 + (random() * 2)::int, v.price
         FROM public.product_variants v JOIN public.products p ON p.id = v.product_id ORDER BY random() LIMIT 1 + $2::int % 3`,
        [orderId, n],
      );
      const { rows: totals } = await client.query<{ total: string }>(
        `UPDATE public.orders o SET subtotal = t.subtotal, shipping_cost = CASE WHEN t.subtotal >= 60 THEN 0 ELSE 5.90 END,
           total = t.subtotal + CASE WHEN t.subtotal >= 60 THEN 0 ELSE 5.90 END, paid_at = now()
         FROM (SELECT sum(quantity * unit_price) AS subtotal FROM public.order_items WHERE order_id = $1) t
         WHERE o.id = $1 RETURNING round(o.total * 100)::text AS total`,
        [orderId],
      );
      // A customer removes an address now and then: deletions must reach the new shop too.
      if (n % 5 === 0) {
        await client.query(`DELETE FROM public.addresses WHERE id = (SELECT id FROM public.addresses WHERE street = '1 rue Neuve' ORDER BY created_at LIMIT 1)`);
      }
      // An older order ships meanwhile: updates must reach the new shop too.
      await client.query(`UPDATE public.orders SET status = 'shipped', updated_at = now() WHERE id = (SELECT max(id) - 50 FROM public.orders) AND status = 'paid'`);
      await client.query('COMMIT');
      acknowledged.set(orderId, { id: orderId, totalCents: Number(totals[0]!.total), status: 'paid' });
      if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  })();
  return {
    acknowledged,
    get customers() {
      return state.customers;
    },
    async stop() {
      state.running = false;
      await loop;
      await client.end();
    },
  };
}
