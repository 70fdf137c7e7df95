-- When the customer last proved a factor again in this session (ending other sessions needs a
-- proof at most 15 minutes old); NULL means only at sign-in (created_at).
ALTER TABLE sessions ADD COLUMN reauthenticated_at BIGINT;
