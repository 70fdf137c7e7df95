-- Data exports (the access package of Article 15 GDPR) and the ZIP files they produce (SQLite).
-- Kept in lockstep with migrations/postgres/0009_export.sql.

-- One row per export asked for. The file lives in `export_parts` while the export is ready and
-- is deleted when it expires; the row stays as the record that an export was given.
CREATE TABLE exports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id     TEXT   NOT NULL UNIQUE,
    customer_id   BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    state         TEXT   NOT NULL CHECK (state IN ('queued', 'building', 'ready', 'expired', 'failed')),
    stage         TEXT   NOT NULL DEFAULT 'queued',
    progress      BIGINT NOT NULL DEFAULT 0,
    requested_at  BIGINT NOT NULL,
    started_at    BIGINT,
    locked_until  BIGINT NOT NULL DEFAULT 0,
    -- Which build holds the export: a build cut off and taken over must not finish it.
    claim_token   TEXT,
    attempts      BIGINT NOT NULL DEFAULT 0,
    ready_at      BIGINT,
    expires_at    BIGINT,
    size_bytes    BIGINT,
    file_name     TEXT,
    downloads     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX exports_customer ON exports(customer_id, requested_at);
CREATE INDEX exports_due ON exports(state, locked_until);
-- One export in the making per customer at a time.
CREATE UNIQUE INDEX exports_one_open ON exports(customer_id) WHERE state IN ('queued', 'building');

-- The finished ZIP in parts of 1 MiB, each sealed (AES-256-GCM) under its export and position,
-- so every instance can serve it and nothing readable sits in the database.
CREATE TABLE export_parts (
    export_id  BIGINT NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    data       BLOB   NOT NULL,
    PRIMARY KEY (export_id, seq)
);
