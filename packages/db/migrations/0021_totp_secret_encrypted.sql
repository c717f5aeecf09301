-- Admins' TOTP secrets are stored encrypted (AES-256-GCM, key TOTP_ENCRYPTION_KEY, which never
-- reaches the database): `v1.<iv>.<tag>.<ciphertext>`, bound to the admin's id. The clear column
-- stays, nullable, for the rows written before: the API encrypts them when it starts and at their
-- next use, then blanks them. A later release drops it (contract).
ALTER TABLE admin_totp
  ALTER COLUMN secret DROP NOT NULL,
  ADD COLUMN secret_encrypted text CHECK (secret_encrypted IS NULL OR secret_encrypted ~ '^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$'),
  ADD CONSTRAINT admin_totp_secret_present CHECK (secret IS NOT NULL OR secret_encrypted IS NOT NULL);
