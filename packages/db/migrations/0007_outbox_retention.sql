-- Delivered and failed e-mails carry addresses, order details and reset links: they are kept only
-- as long as support needs them ("did my confirmation go out?"), then deleted by purgeOutbox.
CREATE INDEX email_outbox_finished_idx ON email_outbox (created_at) WHERE status IN ('sent', 'failed');
