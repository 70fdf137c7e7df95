-- How many activity events each customer has, kept by the database as events come and go, so
-- that "My data" reads one row instead of counting the customer's whole history on every visit
-- (a count that grows with the history; at ~420 events it was a third of the page's first
-- statement). Statement triggers keep it exact under every insert and delete, retention and
-- erasure included; a customer without events may have no row, which reads as 0. Nothing moves
-- an event from one customer to another.
CREATE TABLE activity_counts (
    customer_id  BIGINT PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    events       BIGINT NOT NULL
);

INSERT INTO activity_counts (customer_id, events)
SELECT customer_id, COUNT(*) FROM activity_events GROUP BY customer_id;

CREATE FUNCTION activity_counts_add() RETURNS trigger AS $$
BEGIN
    INSERT INTO activity_counts (customer_id, events)
    SELECT customer_id, COUNT(*) FROM added GROUP BY customer_id
    ON CONFLICT (customer_id) DO UPDATE SET events = activity_counts.events + EXCLUDED.events;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- An update, not an upsert: when the customer is being deleted, their row may already be gone
-- and must not come back.
CREATE FUNCTION activity_counts_remove() RETURNS trigger AS $$
BEGIN
    UPDATE activity_counts c SET events = c.events - g.n
    FROM (SELECT customer_id, COUNT(*) AS n FROM removed GROUP BY customer_id) g
    WHERE c.customer_id = g.customer_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER activity_counts_add AFTER INSERT ON activity_events
REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION activity_counts_add();
CREATE TRIGGER activity_counts_remove AFTER DELETE ON activity_events
REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION activity_counts_remove();
