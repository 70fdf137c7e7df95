-- Breaches, their notices to customers, anonymised remains of purged records, and job runs
-- (PostgreSQL). Kept in lockstep with migrations/sqlite/0005_incidents_retention.sql.

-- A personal-data breach as a DPO records it (Article 33(5) GDPR: document every breach).
CREATE TABLE incidents (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recorded_at            BIGINT NOT NULL,
    recorded_by            BIGINT NOT NULL REFERENCES staff(id),
    discovered_at          BIGINT NOT NULL,
    what_happened          TEXT   NOT NULL,
    categories             TEXT   NOT NULL,
    approx_affected        BIGINT NOT NULL,
    consequences           TEXT   NOT NULL,
    measures               TEXT   NOT NULL,
    authority_notified_at  BIGINT
);

-- One row per customer told about an incident; the banner shows until it is acknowledged.
CREATE TABLE incident_notices (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id      BIGINT NOT NULL REFERENCES incidents(id),
    customer_id      BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    notified_at      BIGINT NOT NULL,
    acknowledged_at  BIGINT
);
CREATE UNIQUE INDEX incident_notices_once ON incident_notices(incident_id, customer_id);
CREATE INDEX incident_notices_customer ON incident_notices(customer_id, acknowledged_at);

-- What is left of a record its category says to anonymise: no customer, no free text.
CREATE TABLE anonymised_records (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category    TEXT   NOT NULL,
    month       TEXT   NOT NULL,
    attributes  TEXT   NOT NULL
);
CREATE INDEX anonymised_records_category ON anonymised_records(category, month);

-- When a periodic job last started, so several instances run it once between them.
CREATE TABLE job_runs (
    name        TEXT   PRIMARY KEY,
    started_at  BIGINT NOT NULL
);
