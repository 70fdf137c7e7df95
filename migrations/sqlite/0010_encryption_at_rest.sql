-- Personal data encrypted at rest (SQLite). Kept in lockstep with
-- migrations/postgres/0010_encryption_at_rest.sql.

-- Keys wrapped (AES-256-GCM) by the company's master key, which never enters the database.
-- master_id names the master key that wrapped each row, so a rotation can re-wrap row by row
-- while the portal runs. 'portal' is the key the portal's own secrets derive from (sealed mail,
-- authenticator secrets, keyed hashes).
CREATE TABLE key_ring (
    name        TEXT   PRIMARY KEY,
    wrapped     BLOB   NOT NULL,
    master_id   TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    wrapped_at  BIGINT NOT NULL
);

-- One key per customer; their personal fields are sealed under it. Erasure deletes it, after
-- which no copy of those fields (a backup, a replica, a stray dump) can be opened.
CREATE TABLE customer_keys (
    customer_id  BIGINT PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    wrapped      BLOB   NOT NULL,
    master_id    TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    wrapped_at   BIGINT NOT NULL
);
CREATE INDEX customer_keys_master ON customer_keys(master_id);

-- The email is sealed like every other field; sign-in and look-ups find it by a keyed hash.
ALTER TABLE customers ADD COLUMN email_lookup TEXT;
CREATE UNIQUE INDEX customers_email_lookup ON customers(email_lookup);
