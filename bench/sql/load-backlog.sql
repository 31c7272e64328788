-- A backlog of :n PENDING orders with their OrderCreated outbox events, in one set-based statement of
-- the same shape as the intake CTE (src/main/resources/sql/insert-order-with-event.sql), with the
-- payload the service writes (traceparent NULL, as with tracing off).
WITH o AS (
    INSERT INTO orders (id, customer_id, currency, items, total, status, correlation_id)
    SELECT gen_random_uuid(), 'c-' || (g % 1000), 'EUR',
           '[{"sku":"SKU-1","quantity":2,"unitPrice":9.99}]'::jsonb, 19.98, 'PENDING', gen_random_uuid()::text
      FROM generate_series(1, :n) AS g
    RETURNING id, correlation_id)
INSERT INTO outbox (order_id, event_type, payload, correlation_id)
SELECT id, 'OrderCreated',
       jsonb_build_object('type', 'OrderCreated', 'orderId', id, 'correlationId', correlation_id),
       correlation_id
  FROM o;
