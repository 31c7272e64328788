-- Intake with an Idempotency-Key: the key, the order and its OrderCreated event in one statement. When the
-- key is taken (a retry, possibly concurrent: ON CONFLICT waits for the other insert to commit), nothing is
-- written and no row comes back. Transition: (new) -> PENDING.
-- The outbox insert is insert-order-with-event.sql's, kept apart on purpose (docs/architecture.md): change both.
WITH k AS (
    INSERT INTO idempotency_keys (key, request_hash, order_id, correlation_id)
    VALUES (:key, :request_hash, :id, :correlation_id)
    ON CONFLICT (key) DO NOTHING
    RETURNING order_id, correlation_id
), o AS (
    INSERT INTO orders (id, customer_id, currency, items, total, status, correlation_id)
    SELECT order_id, :customer_id, :currency, :items::jsonb, :total, 'PENDING', correlation_id FROM k
    RETURNING id, correlation_id)
INSERT INTO outbox (order_id, event_type, payload, correlation_id, traceparent)
SELECT id, 'OrderCreated',
       jsonb_build_object('type', 'OrderCreated', 'orderId', id, 'correlationId', correlation_id),
       correlation_id, :traceparent::varchar
  FROM o
RETURNING id;
