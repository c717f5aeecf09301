-- gc_quote: everything pricing a cart reads, in one call (cart reads, add-to-cart, checkout).
-- Written in PL/pgSQL so each backend plans its queries once and reuses the plan (generic plans,
-- forced below): a cart read then costs no planning, about half its former PostgreSQL time.
-- Nothing depends on session state, so it is safe behind PgBouncer in transaction mode; the
-- plan_cache_mode setting applies only while the function runs.
-- Keep `is_live` in step with LIVE in apps/api/src/modules/checkout/repo.ts.
CREATE FUNCTION gc_quote(p_variant_ids uuid[], p_discount_code text, p_shipping_method_id text) RETURNS json
  LANGUAGE plpgsql STABLE
  SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RETURN json_build_object(
    'variants', (
      SELECT coalesce(json_agg(json_build_object(
               'id', v.id, 'sku', v.sku, 'title', p.title, 'variant_title', v.title, 'price_cents', v.price_cents,
               'stock', v.stock, 'purchasable', v.status = 'active' AND p.status = 'active')), '[]'::json)
      FROM variants v JOIN products p ON p.id = v.product_id
      WHERE v.id = ANY(p_variant_ids)),
    'discount', (
      SELECT row_to_json(d) FROM (
        SELECT id, code, kind, value, min_subtotal_cents,
               (active AND (starts_at IS NULL OR starts_at <= now()) AND (ends_at IS NULL OR ends_at > now())) AS is_live,
               (usage_limit IS NOT NULL AND used_count >= usage_limit) AS is_used_up
        FROM discount_codes WHERE code = upper(p_discount_code)) d),
    'shipping_method', (
      SELECT row_to_json(s) FROM (
        SELECT id, name, price_cents, free_over_cents FROM shipping_methods WHERE id = p_shipping_method_id AND active) s));
END
$$;
