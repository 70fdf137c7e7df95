-- Verified changes, the mail outbox and the dev mailbox (PostgreSQL). Kept in lockstep with
-- migrations/sqlite/0002_verified_changes.sql.

-- A change a customer asked for, waiting for link + code. Only a hash of the link's token is
-- kept; payload_hash binds the stored change to that token so later edits void the link.
CREATE TABLE pending_changes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id   BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    field         TEXT   NOT NULL,
    target_id     BIGINT,
    new_value     TEXT   NOT NULL,
    payload_hash  TEXT   NOT NULL,
    token_hash    TEXT   NOT NULL UNIQUE,
    status        TEXT   NOT NULL,
    failed_codes  BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    resolved_at   BIGINT
);
CREATE INDEX pending_changes_customer ON pending_changes(customer_id, status);

-- After an email change, the previous address may undo it for a while.
CREATE TABLE email_reverts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    old_email    TEXT   NOT NULL,
    new_email    TEXT   NOT NULL,
    token_hash   TEXT   NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT
);
CREATE INDEX email_reverts_customer ON email_reverts(customer_id);

-- Mail to deliver, written in the transaction of the change it reports. content_enc is sealed
-- (it carries links) and erased once delivered.
CREATE TABLE outbox (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id      BIGINT REFERENCES customers(id) ON DELETE SET NULL,
    kind             TEXT   NOT NULL,
    content_enc      BYTEA,
    created_at       BIGINT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    locked_until     BIGINT NOT NULL DEFAULT 0,
    sent_at          BIGINT,
    failed_at        BIGINT,
    last_error       TEXT
);
CREATE INDEX outbox_due ON outbox(sent_at, failed_at, next_attempt_at);

-- Only used when no SMTP server is configured (local trial runs).
CREATE TABLE dev_mailbox (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at  BIGINT NOT NULL,
    recipient    TEXT   NOT NULL,
    subject      TEXT   NOT NULL,
    text_body    TEXT   NOT NULL,
    html_body    TEXT   NOT NULL
);
