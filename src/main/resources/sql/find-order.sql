-- An order by id (GET /orders/{id}).
-- The same columns as every orders read (OrderStore.queryOrders maps them).
SELECT id, status, customer_id, currency, items::text AS items, total, retry_count, failure_reason,
       correlation_id, created_at, updated_at
  FROM orders WHERE id = :id;
