-- A new authenticator key being added by a signed-in customer, sealed like the key itself; kept
-- on the session that started the change, so it goes when that session does.
ALTER TABLE sessions ADD COLUMN totp_pending_enc BYTEA;
