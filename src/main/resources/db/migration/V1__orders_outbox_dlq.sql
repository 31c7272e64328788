-- Orders, their outbox events and the business dead-letter queue.
-- Every state transition is guarded in SQL (WHERE status = expected), see OrderStore and WorkStore.

CREATE TABLE orders (
    id              uuid         PRIMARY KEY,
    customer_id     varchar(64)  NOT NULL,
    currency        char(3)      NOT NULL,
    items           jsonb        NOT NULL,
    total           numeric(16,2) NOT NULL,
    status          varchar(16)  NOT NULL CHECK (status IN ('PENDING', 'PROCESSING', 'PROCESSED', 'FAILED')),
    -- attempts made so far in the current attempt budget (reprocess starts a fresh budget)
    retry_count     integer      NOT NULL DEFAULT 0,
    failure_reason  text,
    correlation_id  varchar(128) NOT NULL,
    -- lease of the worker that holds the order in PROCESSING (fencing for late finishes)
    locked_by       varchar(200),
    locked_at       timestamptz,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX orders_created_idx ON orders (created_at DESC, id);
CREATE INDEX orders_status_created_idx ON orders (status, created_at DESC, id);
-- stale-lease recovery scans only orders in PROCESSING
CREATE INDEX orders_processing_lease_idx ON orders (locked_at) WHERE status = 'PROCESSING';

-- One row per state change: the audit trail, and the witness that no order completes twice.
CREATE TABLE order_transitions (
    id          bigserial    PRIMARY KEY,
    order_id    uuid         NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    from_status varchar(16),
    to_status   varchar(16)  NOT NULL,
    attempt     integer      NOT NULL,
    worker_id   varchar(200),
    at          timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX order_transitions_order_idx ON order_transitions (order_id, id);

-- The transactional outbox. PENDING rows are ready at next_attempt_at; LOCKED rows are held by a
-- worker (outbox transport) or a relay (sqs transport); DONE rows are processed or relayed.
CREATE TABLE outbox (
    id              bigserial    PRIMARY KEY,
    order_id        uuid         NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    event_type      varchar(32)  NOT NULL,
    payload         jsonb        NOT NULL,
    correlation_id  varchar(128) NOT NULL,
    status          varchar(16)  NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'LOCKED', 'DONE')),
    next_attempt_at timestamptz  NOT NULL DEFAULT now(),
    locked_by       varchar(200),
    locked_at       timestamptz,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    done_at         timestamptz
);
-- serves the claim's WHERE and ORDER BY without touching locked or done rows
CREATE INDEX outbox_ready_idx ON outbox (next_attempt_at, id) WHERE status = 'PENDING';
CREATE INDEX outbox_locked_idx ON outbox (locked_at) WHERE status = 'LOCKED';
CREATE INDEX outbox_order_idx ON outbox (order_id);

-- The business dead-letter queue: orders whose attempts are exhausted, waiting for an operator.
CREATE TABLE dlq (
    order_id       uuid         PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    reason         text         NOT NULL,
    retry_count    integer      NOT NULL,
    correlation_id varchar(128) NOT NULL,
    failed_at      timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX dlq_failed_at_idx ON dlq (failed_at DESC, order_id);
