-- Abuse limits: a per-line quantity cap per variant, per-customer and per-e-mail use limits per
-- discount code, indexes for the daily e-mail caps, and no confirmation e-mail at placement (it is
-- queued when the order is paid).

-- NULL: the shop's default per-line cap (LIMIT_LINE_QUANTITY) applies.
ALTER TABLE variants ADD COLUMN max_per_order integer CHECK (max_per_order IS NULL OR max_per_order BETWEEN 1 AND 99);

-- NULL: no limit. A use is an order that is not cancelled nor failed (those give their use back).
ALTER TABLE discount_codes
  ADD COLUMN per_customer_limit integer CHECK (per_customer_limit IS NULL OR per_customer_limit > 0),
  ADD COLUMN per_email_limit integer CHECK (per_email_limit IS NULL OR per_email_limit > 0);
-- The welcome code is for a first order only.
UPDATE discount_codes SET per_customer_limit = 1, per_email_limit = 1 WHERE code = 'BIENVENUE10';
CREATE INDEX orders_discount_email_idx ON orders (discount_code_id, email) WHERE discount_code_id IS NOT NULL;
CREATE INDEX orders_discount_customer_idx ON orders (discount_code_id, customer_id) WHERE discount_code_id IS NOT NULL AND customer_id IS NOT NULL;

-- The daily caps on order e-mails count what was queued per address and what each buyer's orders caused.
CREATE INDEX email_outbox_recipient_idx ON email_outbox (to_address, created_at);
CREATE INDEX orders_guest_session_idx ON orders (guest_session_hash, updated_at) WHERE guest_session_hash IS NOT NULL;

-- gc_quote as in 0005, plus the variant's line cap and the code's per-buyer limits.
CREATE OR REPLACE FUNCTION gc_quote(p_variant_ids uuid[], p_discount_code text, p_shipping_method_id text) RETURNS json
  LANGUAGE plpgsql STABLE
  SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RETURN json_build_object(
    'variants', (
      SELECT coalesce(json_agg(json_build_object(
               'id', v.id, 'sku', v.sku, 'title', p.title, 'variant_title', v.title, 'price_cents', v.price_cents,
               'stock', v.stock, 'purchasable', v.status = 'active' AND p.status = 'active', 'max_per_order', v.max_per_order)), '[]'::json)
      FROM variants v JOIN products p ON p.id = v.product_id
      WHERE v.id = ANY(p_variant_ids)),
    'discount', (
      SELECT row_to_json(d) FROM (
        SELECT id, code, kind, value, min_subtotal_cents, per_customer_limit, per_email_limit,
               (active AND (starts_at IS NULL OR starts_at <= now()) AND (ends_at IS NULL OR ends_at > now())) AS is_live,
               (usage_limit IS NOT NULL AND used_count >= usage_limit) AS is_used_up
        FROM discount_codes WHERE code = upper(p_discount_code)) d),
    'shipping_method', (
      SELECT row_to_json(s) FROM (
        SELECT id, name, price_cents, free_over_cents FROM shipping_methods WHERE id = p_shipping_method_id AND active) s));
END
$$;

-- gc_place_order as in 0006 without the confirmation e-mail: nothing is sent before payment.
DROP FUNCTION gc_place_order(uuid[], int[], uuid, uuid, uuid, bytea, bytea, text, jsonb, text, text, text, text, int, int, int, int, int, int,
  uuid[], text[], text[], text[], int[], int[], int[], int[], int[], uuid, int, text, text, jsonb, text, text, text, int, jsonb);
CREATE FUNCTION gc_place_order(
  p_variant_ids uuid[], p_quantities int[], p_discount_id uuid,
  p_order_id uuid, p_customer_id uuid, p_guest_session_hash bytea, p_access_token_hash bytea, p_email text,
  p_shipping_address jsonb, p_shipping_method_id text, p_shipping_method_name text, p_discount_code text,
  p_payment_provider text, p_subtotal_cents int, p_discount_cents int, p_shipping_cents int, p_vat_cents int,
  p_total_cents int, p_ttl_minutes int,
  p_line_variant_ids uuid[], p_line_skus text[], p_line_titles text[], p_line_variant_titles text[],
  p_line_quantities int[], p_line_unit_prices int[], p_line_totals int[], p_line_discounts int[], p_line_vats int[],
  p_payment_id uuid, p_payment_amount_cents int,
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
