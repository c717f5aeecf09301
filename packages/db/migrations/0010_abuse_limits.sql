-- Abuse limits: a per-line quantity cap per variant, per-customer and per-e-mail use limits per
-- discount code, and indexes for the daily e-mail caps. (No confirmation e-mail at placement:
-- gc_place_order is redefined once, in 0015.)

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
