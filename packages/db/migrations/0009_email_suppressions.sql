-- Addresses that bounced for good: a 5xx refusal of the recipient during the outbox's SMTP
-- conversation, or a delivery status notification (DSN) from Postfix saying the receiver refused it.
-- The outbox attempts no more mail to them: each such message fails at once with the reason, where
-- the owner sees failed e-mails. Deleting the row (the customer fixed her address) lets mail flow again.
CREATE TABLE email_suppressions (
  -- Lower-cased: the outbox compares lower(to_address).
  address text PRIMARY KEY CHECK (address = lower(address) AND length(address) BETWEEN 3 AND 320),
  source text NOT NULL CHECK (source IN ('smtp', 'dsn')),
  -- The receiver's answer (status code and diagnostic), for support.
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
