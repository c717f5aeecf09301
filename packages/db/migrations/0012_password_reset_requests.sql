-- Password reset requests are queued whether or not the address has an account, so answering takes
-- the same time either way; the worker issues the token and queues the e-mail. The work is only
-- database statements in one transaction: a failure rolls the request back into the queue for the
-- next pass, so no attempt counter is needed.
CREATE TABLE password_reset_requests (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL CHECK (length(email) <= 254),
  created_at timestamptz NOT NULL DEFAULT now()
);
