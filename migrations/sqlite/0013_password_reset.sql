-- A forgotten password: single-use links mailed to the address on file. Only the token's hash is
-- kept; a reset uses every open link of the customer up.
CREATE TABLE password_resets (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    token_hash   TEXT   NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT
);
CREATE INDEX password_resets_customer ON password_resets(customer_id, created_at);
