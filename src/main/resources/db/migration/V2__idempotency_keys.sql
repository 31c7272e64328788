-- Idempotency-Key of POST /orders: a client retry with the same key and body gets the same order back.
-- The hash is of the validated order, so formatting differences in the JSON do not matter.
CREATE TABLE idempotency_keys (
    key            varchar(128) PRIMARY KEY,
    request_hash   char(64)     NOT NULL,
    order_id       uuid         NOT NULL,
    correlation_id varchar(128) NOT NULL,
    created_at     timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
