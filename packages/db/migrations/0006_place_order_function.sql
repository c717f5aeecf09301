-- gc_place_order: the checkout's one write statement (see placeOrder in
-- apps/api/src/modules/checkout/repo.ts), in PL/pgSQL for the reason gc_quote is (0005): sent as a
-- plain statement, PostgreSQL parsed, analysed and planned this nine-part query for every order,
-- about half of its CPU time per order; a function plans it once per backend and reuses the plan.
-- Nothing depends on session state, so it is safe behind PgBouncer in transaction mode.
-- Every row it reads or updates is found by its key, but a plan cached while a table is small (a new
-- shop, idempotency_keys between two ANALYZEs) would scan it whole for every later order: sequential
-- scans are ruled out while it runs.
--
-- In the caller's transaction: locks the variants in id order, takes the stock with one conditional
-- UPDATE (each variant once), then — only if every variant was taken — counts the code's use, and only
-- if that passed too inserts the order (number from the sequence), its lines, its pending payment, its
-- confirmation e-mail in the outbox and the stored response (the last two completed with the number).
-- When a check fails nothing is inserted and the caller must roll back (stock may be taken).
-- Answers {"number", "stock_ok", "discount_ok", "stock": [{"id", "stock"} before the decrement]}.
-- Keep the code's liveness in step with `is_live` in gc_quote.
CREATE FUNCTION gc_place_order(
  p_variant_ids uuid[], p_quantities int[], p_discount_id uuid,
  p_order_id uuid, p_customer_id uuid, p_guest_session_hash bytea, p_access_token_hash bytea, p_email text,
  p_shipping_address jsonb, p_shipping_method_id text, p_shipping_method_name text, p_discount_code text,
  p_payment_provider text, p_subtotal_cents int, p_discount_cents int, p_shipping_cents int, p_vat_cents int,
  p_total_cents int, p_ttl_minutes int,
  p_line_variant_ids uuid[], p_line_skus text[], p_line_titles text[], p_line_variant_titles text[],
  p_line_quantities int[], p_line_unit_prices int[], p_line_totals int[], p_line_discounts int[], p_line_vats int[],
  p_payment_id uuid, p_payment_amount_cents int,
  p_mail_template text, p_mail_to text, p_mail_data jsonb, p_mail_message_id text,
  p_scope text, p_key text, p_status_code int, p_response jsonb) RETURNS json
  LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off
AS $$
DECLARE
  result json;
BEGIN
  WITH locked AS MATERIALIZED (
    SELECT id, stock FROM variants WHERE id = ANY(p_variant_ids) ORDER BY id FOR UPDATE
  ), taken AS (
    UPDATE variants SET stock = stock - w.quantity, updated_at = now()
    FROM unnest(p_variant_ids, p_quantities) AS w(id, quantity)
    WHERE variants.id = w.id AND variants.stock >= w.quantity AND (SELECT count(*) FROM locked) >= 0
    RETURNING variants.id
  ), checked AS (
    SELECT (SELECT count(*) FROM taken) = cardinality(p_variant_ids) AS stock_ok
  ), discount AS (
    UPDATE discount_codes SET used_count = used_count + 1
    WHERE id = p_discount_id AND (SELECT stock_ok FROM checked)
      AND active AND (starts_at IS NULL OR starts_at <= now()) AND (ends_at IS NULL OR ends_at > now())
      AND (usage_limit IS NULL OR used_count < usage_limit)
    RETURNING id
  ), passed AS (
    SELECT (SELECT stock_ok FROM checked) AND (p_discount_id IS NULL OR EXISTS (SELECT 1 FROM discount)) AS ok
  ), placed AS (
    INSERT INTO orders (id, customer_id, guest_session_hash, access_token_hash, email, shipping_address, shipping_method_id,
      shipping_method_name, discount_code_id, discount_code, payment_provider, subtotal_cents, discount_cents,
      shipping_cents, vat_cents, total_cents, expires_at)
    SELECT p_order_id, p_customer_id, p_guest_session_hash, p_access_token_hash, p_email, p_shipping_address, p_shipping_method_id,
           p_shipping_method_name, p_discount_id, p_discount_code, p_payment_provider, p_subtotal_cents, p_discount_cents,
           p_shipping_cents, p_vat_cents, p_total_cents, now() + make_interval(mins => p_ttl_minutes)
    FROM passed WHERE passed.ok
    RETURNING orders.number
  ), lines AS (
    INSERT INTO order_lines (order_id, position, variant_id, sku, title, variant_title, quantity, unit_price_cents,
      line_total_cents, discount_cents, vat_cents)
    SELECT p_order_id, u.ord, u.variant_id, u.sku, u.title, u.variant_title, u.quantity, u.unit_price_cents, u.line_total_cents,
           u.discount_cents, u.vat_cents
    FROM placed, unnest(p_line_variant_ids, p_line_skus, p_line_titles, p_line_variant_titles, p_line_quantities,
                        p_line_unit_prices, p_line_totals, p_line_discounts, p_line_vats)
         WITH ORDINALITY AS u(variant_id, sku, title, variant_title, quantity, unit_price_cents, line_total_cents, discount_cents, vat_cents, ord)
  ), payment AS (
    INSERT INTO payments (id, order_id, provider, amount_cents) SELECT p_payment_id, p_order_id, p_payment_provider, p_payment_amount_cents FROM placed
  ), mail AS (
    INSERT INTO email_outbox (template, to_address, data, message_id)
    SELECT p_mail_template, p_mail_to, jsonb_set(p_mail_data, '{orderNumber}', to_jsonb(placed.number)), p_mail_message_id FROM placed
  ), stored AS (
    UPDATE idempotency_keys k SET status_code = p_status_code, response = jsonb_set(p_response, '{order,number}', to_jsonb(placed.number))
    FROM placed WHERE k.scope = p_scope AND k.key = p_key
  )
  SELECT json_build_object(
           'number', (SELECT placed.number FROM placed),
           'stock_ok', (SELECT stock_ok FROM checked),
           'discount_ok', p_discount_id IS NULL OR EXISTS (SELECT 1 FROM discount),
           'stock', (SELECT json_agg(json_build_object('id', locked.id, 'stock', locked.stock)) FROM locked))
    INTO result;
  RETURN result;
END
$$;
