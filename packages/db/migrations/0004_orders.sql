-- Orders, their lines and payments; shipping methods and discount codes; idempotency records and
-- processed payment-provider events. Money is integer cents (EUR, VAT included).

CREATE TABLE shipping_methods (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  -- Shipping is free when the goods total after discount reaches this amount; NULL: never free.
  free_over_cents integer CHECK (free_over_cents IS NULL OR free_over_cents > 0),
  position integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true
);

INSERT INTO shipping_methods (id, name, price_cents, free_over_cents, position) VALUES
  ('colissimo', 'Colissimo à domicile', 590, 6000, 1),
  ('mondial-relay', 'Mondial Relay en point relais', 390, 4500, 2),
  ('atelier', 'Retrait à l’atelier', 0, NULL, 3);

CREATE TABLE discount_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Stored upper case; customers type it in any case.
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9_-]{3,40}$'),
  kind text NOT NULL CHECK (kind IN ('percent', 'fixed')),
  -- percent: 1..100; fixed: an amount in cents.
  value integer NOT NULL CHECK (value > 0 AND (kind <> 'percent' OR value <= 100)),
  min_subtotal_cents integer NOT NULL DEFAULT 0 CHECK (min_subtotal_cents >= 0),
  starts_at timestamptz,
  ends_at timestamptz,
  usage_limit integer CHECK (usage_limit IS NULL OR usage_limit > 0),
  -- Counted in the order's transaction with a conditional UPDATE: never above the limit.
  used_count integer NOT NULL DEFAULT 0 CHECK (used_count >= 0 AND (usage_limit IS NULL OR used_count <= usage_limit)),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at)
);

INSERT INTO discount_codes (code, kind, value, min_subtotal_cents, usage_limit) VALUES
  ('BIENVENUE10', 'percent', 10, 0, NULL),
  ('CADEAU5', 'fixed', 500, 3000, NULL),
  ('PRINTEMPS20', 'percent', 20, 5000, 200);

CREATE SEQUENCE order_number_seq START 1;

CREATE TABLE orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number text NOT NULL UNIQUE DEFAULT ('GC-' || lpad(nextval('order_number_seq')::text, 6, '0')),
  customer_id uuid REFERENCES customers (id) ON DELETE SET NULL,
  -- sha256 of the guest session that placed the order, so that session may follow it.
  guest_session_hash bytea,
  -- sha256 of the random token carried by the confirmation e-mail's link; the token itself is never stored.
  access_token_hash bytea NOT NULL UNIQUE,
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  status text NOT NULL DEFAULT 'pending_payment'
    CHECK (status IN ('pending_payment', 'paid', 'payment_failed', 'cancelled', 'shipped', 'delivered', 'refunded')),
  shipping_address jsonb NOT NULL CHECK (jsonb_typeof(shipping_address) = 'object'),
  shipping_method_id text NOT NULL REFERENCES shipping_methods (id),
  shipping_method_name text NOT NULL,
  discount_code_id uuid REFERENCES discount_codes (id) ON DELETE SET NULL,
  discount_code text,
  payment_provider text NOT NULL CHECK (payment_provider IN ('test', 'stripe')),
  currency text NOT NULL DEFAULT 'EUR' CHECK (currency = 'EUR'),
  subtotal_cents integer NOT NULL CHECK (subtotal_cents >= 0),
  discount_cents integer NOT NULL CHECK (discount_cents >= 0 AND discount_cents <= subtotal_cents),
  shipping_cents integer NOT NULL CHECK (shipping_cents >= 0),
  vat_cents integer NOT NULL CHECK (vat_cents >= 0),
  total_cents integer NOT NULL CHECK (total_cents >= 0),
  -- An unpaid order past this instant is cancelled by the expiry job and gives its stock back.
  expires_at timestamptz NOT NULL,
  paid_at timestamptz,
  cancelled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (total_cents = subtotal_cents - discount_cents + shipping_cents),
  CHECK (vat_cents <= total_cents)
);
CREATE INDEX orders_customer_idx ON orders (customer_id, created_at DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX orders_expiry_idx ON orders (expires_at) WHERE status = 'pending_payment';

CREATE TABLE order_lines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  position integer NOT NULL,
  variant_id uuid REFERENCES variants (id) ON DELETE SET NULL,
  -- Snapshots: the order shows what was bought at the price paid, whatever the catalog becomes.
  sku text NOT NULL,
  title text NOT NULL,
  variant_title text NOT NULL,
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
  unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
  line_total_cents integer NOT NULL CHECK (line_total_cents = unit_price_cents * quantity),
  -- This line's share of the order discount, and the VAT included in what remains.
  discount_cents integer NOT NULL CHECK (discount_cents BETWEEN 0 AND line_total_cents),
  vat_cents integer NOT NULL CHECK (vat_cents >= 0),
  UNIQUE (order_id, position)
);
CREATE INDEX order_lines_order_idx ON order_lines (order_id, position);

CREATE TABLE payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- One payment per order: a replayed checkout can never create a second one.
  order_id uuid NOT NULL UNIQUE REFERENCES orders (id) ON DELETE CASCADE,
  provider text NOT NULL CHECK (provider IN ('test', 'stripe')),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'succeeded', 'failed', 'refund_pending', 'refunded')),
  amount_cents integer NOT NULL CHECK (amount_cents >= 0),
  currency text NOT NULL DEFAULT 'EUR' CHECK (currency = 'EUR'),
  -- The provider's id (Stripe PaymentIntent), set once the provider answered.
  provider_ref text UNIQUE,
  client_secret text,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Each provider event is applied once: its id is recorded in the transaction that applies it.
CREATE TABLE payment_events (
  provider text NOT NULL,
  event_id text NOT NULL,
  type text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, event_id)
);

-- First response of an idempotent request. The row is inserted at the start of the request's
-- transaction, so a concurrent replay blocks on it and then reads the committed response.
CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash bytea NOT NULL,
  status_code integer,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
