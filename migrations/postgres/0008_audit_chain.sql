-- The audit log as a hash chain (PostgreSQL). Kept in lockstep with migrations/sqlite/0008_audit_chain.sql.
-- Each row carries the hash of the row before it and its own; `server audit verify` recomputes
-- them. The hash covers what happened (id, time, actor, action, detail), not who it was about
-- (customer_id, ip): erasure may clear those, and the chain still holds.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';

-- The newest link: every append takes it in its transaction, so appends form one line.
CREATE TABLE audit_head (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    last_id    BIGINT NOT NULL,
    last_hash  TEXT   NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '');

-- Append-only: a row's content never changes and no row is deleted; the only update allowed
-- clears the customer link and address (erasure), or chains a row that was not chained yet.
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       OR NEW.id IS DISTINCT FROM OLD.id OR NEW.at IS DISTINCT FROM OLD.at
       OR NEW.actor IS DISTINCT FROM OLD.actor OR NEW.action IS DISTINCT FROM OLD.action
       OR NEW.detail IS DISTINCT FROM OLD.detail
       OR (NEW.customer_id IS NOT NULL AND NEW.customer_id IS DISTINCT FROM OLD.customer_id)
       OR (NEW.ip IS NOT NULL AND NEW.ip IS DISTINCT FROM OLD.ip)
       OR (OLD.hash <> '' AND (NEW.hash IS DISTINCT FROM OLD.hash OR NEW.prev_hash IS DISTINCT FROM OLD.prev_hash)) THEN
        RAISE EXCEPTION 'the audit log is append-only';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
