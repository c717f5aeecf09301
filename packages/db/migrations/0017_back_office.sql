-- The back office: admins' second factor (TOTP + recovery codes), the audit log of every admin
-- write, order preparation and shipping details, gapless invoice numbers, stock adjustments.

-- One TOTP secret per admin; confirmed_at is set once a first code proved the app holds it.
CREATE TABLE admin_totp (
  customer_id uuid PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
  secret text NOT NULL CHECK (secret ~ '^[A-Z2-7]{16,128}$'),
  confirmed_at timestamptz,
  -- The last 30-second step accepted: a code is never accepted twice (replay).
  last_step bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Single-use recovery codes, stored as sha256 only.
CREATE TABLE admin_recovery_codes (
  customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  code_hash bytea NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (customer_id, code_hash)
);

-- Who did what, with the state before and after, written in the same transaction as the write.
-- The actor's e-mail is copied so the log still reads after the account is gone.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_id uuid REFERENCES customers (id) ON DELETE SET NULL,
  actor_email text NOT NULL,
  action text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  before jsonb,
  after jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC, id DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, created_at DESC);

-- paid → preparing → shipped → delivered.
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders
  ADD CONSTRAINT orders_status_check
    CHECK (status IN ('pending_payment', 'paid', 'preparing', 'payment_failed', 'cancelled', 'shipped', 'delivered', 'refunded')),
  ADD COLUMN carrier text CHECK (carrier IS NULL OR length(carrier) BETWEEN 1 AND 80),
  ADD COLUMN tracking_number text CHECK (tracking_number IS NULL OR length(tracking_number) BETWEEN 1 AND 80),
  ADD COLUMN shipped_at timestamptz,
  ADD COLUMN delivered_at timestamptz;
CREATE INDEX orders_created_idx ON orders (created_at DESC, id DESC);
CREATE INDEX orders_status_idx ON orders (status, created_at DESC);

-- Invoice numbers are gapless (French law): one counter row, locked by the transaction that
-- issues an invoice, so a rolled-back issue gives its number back.
CREATE TABLE invoice_counter (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_number integer NOT NULL DEFAULT 0 CHECK (last_number >= 0)
);
INSERT INTO invoice_counter DEFAULT VALUES;

-- One invoice per order, with the seller identity and amounts as they were when it was issued.
CREATE TABLE invoices (
  order_id uuid PRIMARY KEY REFERENCES orders (id) ON DELETE RESTRICT,
  number integer NOT NULL UNIQUE CHECK (number > 0),
  issued_at timestamptz NOT NULL DEFAULT now(),
  seller jsonb NOT NULL CHECK (jsonb_typeof(seller) = 'object')
);

-- Every stock change made by hand, with its reason.
CREATE TABLE stock_adjustments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  variant_id uuid NOT NULL REFERENCES variants (id) ON DELETE CASCADE,
  delta integer NOT NULL CHECK (delta <> 0),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  actor_id uuid REFERENCES customers (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_adjustments_variant_idx ON stock_adjustments (variant_id, created_at DESC);

-- Search engine fields of a product page (the title and description are used when empty).
ALTER TABLE products
  ADD COLUMN seo_title text CHECK (seo_title IS NULL OR length(seo_title) BETWEEN 1 AND 70),
  ADD COLUMN seo_description text CHECK (seo_description IS NULL OR length(seo_description) BETWEEN 1 AND 160);

ALTER TABLE variants ADD COLUMN low_stock_threshold integer NOT NULL DEFAULT 3 CHECK (low_stock_threshold >= 0);
