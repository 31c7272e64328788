-- Intake: the order and its OrderCreated event in one statement (one round trip, one commit per order).
-- Named parameters (:name) are bound by the service and set by pgbench in bench/run.sh alike.
WITH o AS (
    INSERT INTO orders (id, customer_id, currency, items, total, status, correlation_id)
    VALUES (:id, :customer_id, :currency, :items::jsonb, :total, 'PENDING', :correlation_id)
    RETURNING id, correlation_id)
INSERT INTO outbox (order_id, event_type, payload, correlation_id, traceparent)
SELECT id, 'OrderCreated',
       jsonb_build_object('type', 'OrderCreated', 'orderId', id, 'correlationId', correlation_id),
       correlation_id, :traceparent::varchar
  FROM o
RETURNING id;
