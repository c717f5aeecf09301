-- The confirmation e-mail, sent once the order is paid, carries a link of its own: the token the
-- checkout gave the confirmation page (access_token_hash) keeps working beside it.
ALTER TABLE orders ADD COLUMN mail_token_hash bytea;
