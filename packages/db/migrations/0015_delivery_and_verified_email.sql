-- Delivery: the relay point a customer chose is kept on the order (a snapshot of its address and
-- opening hours as the carrier gave them at checkout). The phone carriers need travels in
-- shipping_address, as in the address book (addresses.phone).
-- Accounts: an e-mail address is verified by a link; once verified, the orders placed as a guest
-- with that address are the account's too (read by e-mail, see findCustomerOrders).

ALTER TABLE orders
  ADD COLUMN relay_point jsonb CHECK (relay_point IS NULL OR (jsonb_typeof(relay_point) = 'object' AND relay_point ? 'id'));
-- A verified account lists the guest orders placed with its address.
CREATE INDEX orders_guest_email_idx ON orders (email, created_at DESC) WHERE customer_id IS NULL;

ALTER TABLE customers ADD COLUMN email_verified_at timestamptz;

-- Single-use verification links (only a hash is stored), like password_reset_tokens.
CREATE TABLE email_verification_tokens (
  token_hash bytea PRIMARY KEY,
  customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_verification_tokens_customer_idx ON email_verification_tokens (customer_id);

-- gc_place_order as in 0006, plus the relay point and without the confirmation e-mail (nothing is
-- sent before payment: the confirmation is queued when the order is paid).
DROP FUNCTION gc_place_order(
  uuid[], int[], uuid, uuid, uuid, bytea, bytea, text, jsonb, text, text, text, text, int, int, int, int, int, int,
  uuid[], text[], text[], text[], int[], int[], int[], int[], int[], uuid, int, text, text, jsonb, text, text, text, int, jsonb);

CREATE FUNCTION gc_place_order(
  p_variant_ids uuid[], p_quantities int[], p_discount_id uuid,
  p_order_id uuid, p_customer_id uuid, p_guest_session_hash bytea, p_access_token_hash bytea, p_email text,
  p_shipping_address jsonb, p_relay_point jsonb, p_shipping_method_id text, p_shipping_method_name text, p_discount_code text,
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
    INSERT INTO orders (id, customer_id, guest_session_hash, access_token_hash, email, shipping_address, relay_point, shipping_method_id,
      shipping_method_name, discount_code_id, discount_code, payment_provider, subtotal_cents, discount_cents,
      shipping_cents, vat_cents, total_cents, expires_at)
    SELECT p_order_id, p_customer_id, p_guest_session_hash, p_access_token_hash, p_email, p_shipping_address, p_relay_point, p_shipping_method_id,
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
