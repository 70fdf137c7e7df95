-- Requests to the company (SQLite): corrections a customer cannot make alone and disputes of
-- records, each with its legal deadline. Kept in lockstep with migrations/postgres/0003_requests.sql.
CREATE TABLE requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind         TEXT   NOT NULL,
    subject      TEXT   NOT NULL,
    explanation  TEXT   NOT NULL,
    status       TEXT   NOT NULL DEFAULT 'new',
    received_at  BIGINT NOT NULL,
    due_at       BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX requests_customer ON requests(customer_id, received_at);
CREATE INDEX requests_due ON requests(status, due_at);
