-- Consent center and privacy-policy versions (PostgreSQL). Kept in lockstep with
-- migrations/sqlite/0006_consent.sql.

-- What customers can consent to. `version` goes up when a purpose's text changes; a consent
-- given to an older text no longer counts and is asked again.
CREATE TABLE consent_purposes (
    key         TEXT   PRIMARY KEY,
    position    BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    -- JSON array of {name, role, country}: who receives data under this purpose.
    recipients  TEXT   NOT NULL
);

CREATE TABLE consent_purpose_texts (
    purpose_key  TEXT NOT NULL REFERENCES consent_purposes(key) ON DELETE CASCADE,
    lang         TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    legal_basis  TEXT NOT NULL,
    PRIMARY KEY (purpose_key, lang)
);

-- The published privacy-policy versions; the newest is in force.
CREATE TABLE privacy_policies (
    version       BIGINT PRIMARY KEY,
    published_at  BIGINT NOT NULL,
    published_by  BIGINT REFERENCES staff(id),
    material      BIGINT NOT NULL DEFAULT 0,
    -- Comma-separated keys of the purposes reworded in this version.
    reworded      TEXT   NOT NULL DEFAULT ''
);

CREATE TABLE privacy_policy_summaries (
    version  BIGINT NOT NULL REFERENCES privacy_policies(version),
    lang     TEXT   NOT NULL,
    summary  TEXT   NOT NULL,
    PRIMARY KEY (version, lang)
);

-- The newest policy version the customer has seen the summary of.
ALTER TABLE customers ADD COLUMN policy_seen BIGINT NOT NULL DEFAULT 0;

-- The consent ledger: one receipt per change, never updated. No foreign key on purpose: a
-- receipt outlives a reworded or retired purpose.
CREATE TABLE consent_receipts (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    receipt_id       TEXT   NOT NULL UNIQUE,
    customer_id      BIGINT NOT NULL,
    purpose_key      TEXT   NOT NULL,
    purpose_version  BIGINT NOT NULL,
    action           TEXT   NOT NULL CHECK (action IN ('given', 'withdrawn')),
    policy_version   BIGINT NOT NULL,
    channel          TEXT   NOT NULL,
    at               BIGINT NOT NULL
);
CREATE INDEX consent_receipts_customer ON consent_receipts(customer_id, purpose_key, id);

-- Append-only: no update ever; a delete only once the customer's account is gone (erasure).
CREATE FUNCTION consent_receipts_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' OR EXISTS (SELECT 1 FROM customers WHERE id = OLD.customer_id) THEN
        RAISE EXCEPTION 'consent receipts are append-only';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER consent_receipts_append_only BEFORE UPDATE OR DELETE ON consent_receipts
FOR EACH ROW EXECUTE FUNCTION consent_receipts_append_only();
