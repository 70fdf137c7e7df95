-- How many activity events each customer has, kept by the database as events come and go, so
-- that "My data" reads one row instead of counting the customer's whole history on every visit.
-- Triggers keep it exact under every insert and delete, retention and erasure included; a
-- customer without events may have no row, which reads as 0. Nothing moves an event from one
-- customer to another.
CREATE TABLE activity_counts (
    customer_id  INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    events       BIGINT  NOT NULL
);

INSERT INTO activity_counts (customer_id, events)
SELECT customer_id, COUNT(*) FROM activity_events GROUP BY customer_id;

CREATE TRIGGER activity_counts_add AFTER INSERT ON activity_events
BEGIN
    INSERT INTO activity_counts (customer_id, events) VALUES (NEW.customer_id, 1)
    ON CONFLICT (customer_id) DO UPDATE SET events = events + 1;
END;

-- An update, not an upsert: when the customer is being deleted, their row may already be gone
-- and must not come back.
CREATE TRIGGER activity_counts_remove AFTER DELETE ON activity_events
BEGIN
    UPDATE activity_counts SET events = events - 1 WHERE customer_id = OLD.customer_id;
END;
