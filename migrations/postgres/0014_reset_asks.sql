-- Asks for a reset link, queued for the mail worker so that answering the form does the same
-- work whether or not the address has an account. Only the address's keyed hash is kept, and
-- each row lives until the next pass of the worker turns it into a link or into nothing.
CREATE TABLE reset_asks (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email_lookup  TEXT   NOT NULL,
    created_at    BIGINT NOT NULL
);
