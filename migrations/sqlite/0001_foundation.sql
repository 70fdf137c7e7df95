-- Foundation schema (SQLite). Kept in lockstep with migrations/postgres/0001_foundation.sql:
-- same tables, same columns; a test compares them. Times are Unix seconds (BIGINT), flags are 0/1.

CREATE TABLE customers (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id           TEXT    NOT NULL UNIQUE,
    email               TEXT    NOT NULL UNIQUE,
    email_verified_at   BIGINT,
    password_hash       TEXT    NOT NULL,
    full_name           TEXT    NOT NULL,
    phone               TEXT,
    date_of_birth       TEXT,
    preferred_language  TEXT    NOT NULL DEFAULT 'en',
    totp_secret_enc     BLOB,
    totp_pending_enc    BLOB,
    totp_enabled_at     BIGINT,
    totp_last_step      BIGINT  NOT NULL DEFAULT 0,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);

CREATE TABLE addresses (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    label        TEXT   NOT NULL,
    line1        TEXT   NOT NULL,
    line2        TEXT,
    city         TEXT   NOT NULL,
    postal_code  TEXT   NOT NULL,
    region       TEXT,
    country      TEXT   NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX addresses_customer ON addresses(customer_id);

CREATE TABLE orders (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id    BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    order_number   TEXT   NOT NULL,
    placed_at      BIGINT NOT NULL,
    status         TEXT   NOT NULL,
    total_cents    BIGINT NOT NULL,
    currency       TEXT   NOT NULL,
    items_summary  TEXT   NOT NULL
);
CREATE INDEX orders_customer ON orders(customer_id, placed_at);

CREATE TABLE support_tickets (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    reference    TEXT   NOT NULL,
    opened_at    BIGINT NOT NULL,
    channel      TEXT   NOT NULL,
    subject      TEXT   NOT NULL,
    status       TEXT   NOT NULL
);
CREATE INDEX support_tickets_customer ON support_tickets(customer_id, opened_at);

CREATE TABLE communication_preferences (
    customer_id  BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    topic        TEXT   NOT NULL,
    channel      TEXT   NOT NULL,
    enabled      BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (customer_id, topic, channel)
);

CREATE TABLE activity_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    occurred_at  BIGINT NOT NULL,
    kind         TEXT   NOT NULL,
    detail       TEXT   NOT NULL,
    ip           TEXT,
    user_agent   TEXT
);
CREATE INDEX activity_events_customer ON activity_events(customer_id, occurred_at);

-- The data catalogue: what each category is held for, on what ground, how long, from where, for whom.
CREATE TABLE data_categories (
    key               TEXT   PRIMARY KEY,
    position          BIGINT NOT NULL,
    retention_days    BIGINT NOT NULL,
    retention_action  TEXT   NOT NULL DEFAULT 'delete'
);

CREATE TABLE data_category_texts (
    category_key  TEXT NOT NULL REFERENCES data_categories(key) ON DELETE CASCADE,
    lang          TEXT NOT NULL,
    title         TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    legal_basis   TEXT NOT NULL,
    retention     TEXT NOT NULL,
    source        TEXT NOT NULL,
    PRIMARY KEY (category_key, lang)
);

CREATE TABLE data_recipients (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    category_key  TEXT   NOT NULL REFERENCES data_categories(key) ON DELETE CASCADE,
    name          TEXT   NOT NULL,
    role          TEXT   NOT NULL,
    country       TEXT   NOT NULL,
    position      BIGINT NOT NULL
);
CREATE INDEX data_recipients_category ON data_recipients(category_key);

CREATE TABLE recovery_codes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    code_hash    TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    used_at      BIGINT
);
CREATE UNIQUE INDEX recovery_codes_hash ON recovery_codes(customer_id, code_hash);

-- Server-side sessions; only a hash of the cookie value is stored.
CREATE TABLE sessions (
    id_hash              TEXT   PRIMARY KEY,
    customer_id          BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    stage                TEXT   NOT NULL,
    created_at           BIGINT NOT NULL,
    last_seen_at         BIGINT NOT NULL,
    absolute_expires_at  BIGINT NOT NULL,
    ip                   TEXT   NOT NULL,
    user_agent           TEXT   NOT NULL,
    reveal_enc           BLOB
);
CREATE INDEX sessions_customer ON sessions(customer_id);

-- Failed sign-in attempts per account (keyed hash of the email) and per network address.
CREATE TABLE auth_throttle (
    key              TEXT   PRIMARY KEY,
    failures         BIGINT NOT NULL,
    last_failure_at  BIGINT NOT NULL,
    locked_until     BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           BIGINT NOT NULL,
    actor        TEXT   NOT NULL,
    customer_id  BIGINT,
    action       TEXT   NOT NULL,
    detail       TEXT   NOT NULL,
    ip           TEXT
);
CREATE INDEX audit_log_customer ON audit_log(customer_id, at);
