-- Product images may picture one variant (the "Rose" bracelet): the product page's gallery follows
-- the chosen variant, and cart lines, orders and e-mails show that variant's picture.
-- Expand only: the previous release ignores the column.
ALTER TABLE product_images ADD COLUMN variant_id uuid REFERENCES variants (id) ON DELETE SET NULL;
CREATE INDEX product_images_variant_idx ON product_images (variant_id, position) WHERE variant_id IS NOT NULL;
