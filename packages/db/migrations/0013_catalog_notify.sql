-- Every change a shopper can see in the catalog is announced on the channel `catalog_changed`, at
-- commit, whoever wrote it (checkout, the expiry job, a refund, the admin, a seed, SQL by hand).
-- Payloads: `product:<slug>` (that product's page and every list) or `catalog` (everything).
-- Each API process LISTENs on a direct connection and turns them into cache invalidations.

CREATE FUNCTION gc_notify_product_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('catalog_changed', 'product:' || OLD.slug); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('catalog_changed', 'product:' || NEW.slug); END IF;
  RETURN NULL;
END
$$;

-- Variants, images and category links name their product by id.
CREATE FUNCTION gc_notify_product_part_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[] := ARRAY[]::uuid[];
BEGIN
  IF TG_OP <> 'INSERT' THEN ids := ids || OLD.product_id; END IF;
  IF TG_OP <> 'DELETE' THEN ids := ids || NEW.product_id; END IF;
  -- A product deleted with its parts (ON DELETE CASCADE) is already gone: its own trigger announced it.
  PERFORM pg_notify('catalog_changed', 'product:' || slug) FROM products WHERE id = ANY (ids);
  RETURN NULL;
END
$$;

CREATE FUNCTION gc_notify_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('catalog_changed', 'catalog');
  RETURN NULL;
END
$$;

CREATE TRIGGER products_notify AFTER INSERT OR UPDATE OR DELETE ON products
  FOR EACH ROW EXECUTE FUNCTION gc_notify_product_changed();

-- A sale only shows when it empties a variant or refills an empty one: the stock count itself is not
-- in any answer, so the checkout's decrements stay silent (and the caches warm) the rest of the time.
CREATE TRIGGER variants_notify_update AFTER UPDATE ON variants
  FOR EACH ROW
  WHEN ((OLD.stock > 0) <> (NEW.stock > 0)
        OR (to_jsonb(OLD) - 'stock' - 'updated_at') IS DISTINCT FROM (to_jsonb(NEW) - 'stock' - 'updated_at'))
  EXECUTE FUNCTION gc_notify_product_part_changed();
CREATE TRIGGER variants_notify AFTER INSERT OR DELETE ON variants
  FOR EACH ROW EXECUTE FUNCTION gc_notify_product_part_changed();
CREATE TRIGGER product_images_notify AFTER INSERT OR UPDATE OR DELETE ON product_images
  FOR EACH ROW EXECUTE FUNCTION gc_notify_product_part_changed();
CREATE TRIGGER product_categories_notify AFTER INSERT OR UPDATE OR DELETE ON product_categories
  FOR EACH ROW EXECUTE FUNCTION gc_notify_product_part_changed();

CREATE TRIGGER categories_notify AFTER INSERT OR UPDATE OR DELETE ON categories
  FOR EACH STATEMENT EXECUTE FUNCTION gc_notify_catalog_changed();
CREATE TRIGGER products_notify_truncate AFTER TRUNCATE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION gc_notify_catalog_changed();
CREATE TRIGGER variants_notify_truncate AFTER TRUNCATE ON variants
  FOR EACH STATEMENT EXECUTE FUNCTION gc_notify_catalog_changed();
CREATE TRIGGER categories_notify_truncate AFTER TRUNCATE ON categories
  FOR EACH STATEMENT EXECUTE FUNCTION gc_notify_catalog_changed();
