-- Support staff, their sessions, what they looked at, and the request queue's timeline (PostgreSQL).
-- Kept in lockstep with migrations/sqlite/0004_staff.sql.

-- Staff accounts are created from the command line. The pseudonym is what customers see in
-- "Who accessed my data"; the email never leaves the console.
CREATE TABLE staff (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pseudonym        TEXT   NOT NULL UNIQUE,
    email            TEXT   NOT NULL UNIQUE,
    password_hash    TEXT   NOT NULL,
    role             TEXT   NOT NULL,
    totp_secret_enc  BYTEA  NOT NULL,
    totp_last_step   BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    disabled_at      BIGINT
);

-- Kept apart from customers' sessions so neither can ever be mistaken for the other.
CREATE TABLE staff_sessions (
    id_hash              TEXT   PRIMARY KEY,
    staff_id             BIGINT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    created_at           BIGINT NOT NULL,
    last_seen_at         BIGINT NOT NULL,
    absolute_expires_at  BIGINT NOT NULL,
    ip                   TEXT   NOT NULL,
    user_agent           TEXT   NOT NULL,
    reveal_enc           BYTEA
);
CREATE INDEX staff_sessions_staff ON staff_sessions(staff_id);

-- Every staff read of a customer's personal data; the customer reads this table too.
CREATE TABLE access_log (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           BIGINT NOT NULL,
    staff_id     BIGINT NOT NULL REFERENCES staff(id),
    customer_id  BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    what         TEXT   NOT NULL,
    reason       TEXT   NOT NULL,
    ip           TEXT
);
CREATE INDEX access_log_customer ON access_log(customer_id, at);
CREATE INDEX access_log_staff ON access_log(staff_id, at);

-- Raised when one staff member reads more customers' data in an hour than the policy allows.
CREATE TABLE staff_alerts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           BIGINT NOT NULL,
    staff_id     BIGINT NOT NULL REFERENCES staff(id),
    reads        BIGINT NOT NULL
);
CREATE INDEX staff_alerts_at ON staff_alerts(at);

-- One timeline per request, read by the customer and by staff alike.
CREATE TABLE request_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id  BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    actor       TEXT   NOT NULL,
    staff_id    BIGINT REFERENCES staff(id),
    kind        TEXT   NOT NULL,
    detail      TEXT   NOT NULL,
    body        TEXT   NOT NULL
);
CREATE INDEX request_events_request ON request_events(request_id, at);

ALTER TABLE requests ADD COLUMN assignee_id BIGINT REFERENCES staff(id);
ALTER TABLE requests ADD COLUMN extension_months BIGINT NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN closed_at BIGINT;
ALTER TABLE requests ADD COLUMN rating BIGINT;
ALTER TABLE requests ADD COLUMN rating_comment TEXT;

-- A correction staff proposed: confirming the pending change resolves its request.
ALTER TABLE pending_changes ADD COLUMN request_id BIGINT REFERENCES requests(id);
