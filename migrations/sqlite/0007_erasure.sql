-- Erasure of a customer's account and data, what the law makes us keep of it, and the calls
-- telling recipients (SQLite). Kept in lockstep with migrations/postgres/0007_erasure.sql.

-- What each category keeps when its customer is erased, and why (from the data catalogue).
ALTER TABLE data_categories ADD COLUMN erasure_keep_days BIGINT NOT NULL DEFAULT 0;
ALTER TABLE data_categories ADD COLUMN erasure_keep_fields TEXT NOT NULL DEFAULT '';
ALTER TABLE data_category_texts ADD COLUMN erasure_ground TEXT NOT NULL DEFAULT '';
-- Where a recipient is told about erasures (Article 19 GDPR); none: told by other means.
ALTER TABLE data_recipients ADD COLUMN webhook TEXT;

-- One erasure per request. While open it points at the customer; once done it is a tombstone:
-- a reference, dates and counts, nothing that identifies anyone.
CREATE TABLE erasures (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    reference     TEXT   NOT NULL UNIQUE,
    customer_id   BIGINT,
    state         TEXT   NOT NULL CHECK (state IN ('scheduled', 'cancelled', 'erasing', 'done')),
    confirmed_at  BIGINT NOT NULL,
    due_at        BIGINT NOT NULL,
    reminded_at   BIGINT,
    cancelled_at  BIGINT,
    started_at    BIGINT,
    completed_at  BIGINT,
    locked_until  BIGINT NOT NULL DEFAULT 0,
    -- The final receipt mail, sealed, made before the data it describes is gone.
    receipt_enc   BLOB,
    -- JSON: rows erased and kept per category; counts only.
    summary       TEXT   NOT NULL DEFAULT '{}'
);
CREATE INDEX erasures_due ON erasures(state, due_at);
CREATE UNIQUE INDEX erasures_one_open ON erasures(customer_id) WHERE state IN ('scheduled', 'erasing');

-- What is kept of an erased customer's records because a law requires it, stripped to the
-- fields the catalogue names, until the date it is deleted in turn.
CREATE TABLE retained_records (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    erasure_ref     TEXT   NOT NULL,
    category        TEXT   NOT NULL,
    record          TEXT   NOT NULL,
    retained_until  BIGINT NOT NULL
);
CREATE INDEX retained_records_until ON retained_records(retained_until);

-- Calls to recipients' webhooks; the payload is sealed and erased once delivered.
CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    erasure_ref      TEXT   NOT NULL,
    recipient        TEXT   NOT NULL,
    url              TEXT   NOT NULL,
    payload_enc      BLOB,
    created_at       BIGINT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    locked_until     BIGINT NOT NULL DEFAULT 0,
    delivered_at     BIGINT,
    last_status      BIGINT
);
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries(erasure_ref, url);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(delivered_at, next_attempt_at);
