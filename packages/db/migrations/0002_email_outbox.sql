-- Transactional email outbox: a row is written in the same transaction as the order or account
-- change it announces, then the mailer's worker delivers it with retries. SMTP being down delays
-- an email; it never loses one. Shape shared with jobs (STYLE rule 10).
CREATE TABLE email_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  template text NOT NULL CHECK (template ~ '^[a-z][a-z0-9_]*$'),
  to_address text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 320),
  data jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
  -- Generated at enqueue and reused on every attempt, so a retry after a lost reply is recognisable.
  message_id text NOT NULL UNIQUE CHECK (message_id ~ '^<[^<>@[:space:]]+@[^<>@[:space:]]+>$'),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  -- Every claim, including those that found the server unreachable; drives the backoff.
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- Permanent refusals (5xx, unrenderable data): only these count toward max_attempts, so an
  -- unreachable server can delay a message forever but never fail it.
  rejections integer NOT NULL DEFAULT 0 CHECK (rejections >= 0),
  max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 100),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- While 'sending': the lease; past it, another worker reclaims the row (crashed worker).
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CHECK (status <> 'sending' OR locked_until IS NOT NULL)
);

-- The claim query scans only rows that may be due: sent and failed rows accumulate outside it.
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
