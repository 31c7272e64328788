-- pgbench: the intake statement, OrderStore.INSERT_ORDER_WITH_EVENT, one round trip and one commit per order.
-- pgbench cannot make UUIDs or strings, so the order id and correlation id come from gen_random_uuid()
-- (random v4 UUIDs, as UUID.randomUUID() in the service); the rest are bind parameters, as in the service.
-- traceparent is a fixed value, as with orders.tracing.enabled=true (off, the service binds NULL).
WITH o AS (
    INSERT INTO orders (id, customer_id, currency, items, total, status, correlation_id)
    VALUES (gen_random_uuid(), :customer, :currency, :items::jsonb, :total, 'PENDING', gen_random_uuid()::text)
    RETURNING id, correlation_id)
INSERT INTO outbox (order_id, event_type, payload, correlation_id, traceparent)
SELECT id, 'OrderCreated',
       jsonb_build_object('type', 'OrderCreated', 'orderId', id, 'correlationId', correlation_id),
       correlation_id, :traceparent::varchar
  FROM o
RETURNING id;
