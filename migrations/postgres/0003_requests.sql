-- Requests to the company (PostgreSQL): corrections a customer cannot make alone and disputes of
-- records, each with its legal deadline. Kept in lockstep with migrations/sqlite/0003_requests.sql.
CREATE TABLE requests (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
