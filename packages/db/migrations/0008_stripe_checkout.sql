-- Stripe Checkout (hosted page), refunds retried by a sweep, disputes recorded.
--
-- For a Stripe payment, payments.provider_ref is the Checkout Session (cs_…) and intent_ref the
-- PaymentIntent that collected the money (pi_…), known once Stripe reports it; refunds need it.
ALTER TABLE payments
  ADD COLUMN intent_ref text UNIQUE,
  -- Where the browser is sent to pay (Stripe's hosted page).
  ADD COLUMN redirect_url text,
  -- What has been given back so far: our refunds and any made from Stripe's dashboard.
  ADD COLUMN refunded_cents integer NOT NULL DEFAULT 0,
  ADD CONSTRAINT payments_refunded_cents_check CHECK (refunded_cents BETWEEN 0 AND amount_cents);

-- Each refund we ask the provider for: written before the call (with its idempotency key, the row
-- id), so a failed call is retried by the sweep and never doubled. Shape of a job row (attempts,
-- next_attempt_at, last_error), like the e-mail outbox.
CREATE TABLE refunds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  payment_id uuid NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  -- order_not_payable: paid after the order expired or was cancelled; unexpected_amount: paid a
  -- different amount than the order's; requested: asked from our side (admin).
  reason text NOT NULL CHECK (reason IN ('order_not_payable', 'unexpected_amount', 'requested')),
  note text CHECK (note IS NULL OR length(note) <= 500),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  -- The provider's refund id (re_…), once it answered.
  provider_ref text UNIQUE,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts integer NOT NULL DEFAULT 20 CHECK (max_attempts > 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_payment_idx ON refunds (payment_id);
CREATE INDEX refunds_due_idx ON refunds (next_attempt_at) WHERE status = 'pending';

-- Disputes (chargebacks) as Stripe reports them, for the owner to answer in Stripe's dashboard.
CREATE TABLE payment_disputes (
  id text PRIMARY KEY,
  payment_id uuid REFERENCES payments (id) ON DELETE SET NULL,
  amount_cents integer NOT NULL CHECK (amount_cents >= 0),
  reason text NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_disputes_payment_idx ON payment_disputes (payment_id);
