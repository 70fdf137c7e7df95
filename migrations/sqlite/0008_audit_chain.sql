-- The audit log as a hash chain (SQLite). Kept in lockstep with migrations/postgres/0008_audit_chain.sql.
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
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
  OR NEW.action IS NOT OLD.action OR NEW.detail IS NOT OLD.detail
  OR (NEW.customer_id IS NOT NULL AND NEW.customer_id IS NOT OLD.customer_id)
  OR (NEW.ip IS NOT NULL AND NEW.ip IS NOT OLD.ip)
  OR (OLD.hash != '' AND (NEW.hash IS NOT OLD.hash OR NEW.prev_hash IS NOT OLD.prev_hash))
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
