-- The orders of one correlation id (GET /orders?correlationId=), served by orders_correlation_idx.
-- The same columns as every orders read (OrderStore.queryOrders maps them).
SELECT id, status, customer_id, currency, items::text AS items, total, retry_count, failure_reason,
       correlation_id, created_at, updated_at
  FROM orders WHERE correlation_id = :correlation_id
 ORDER BY created_at DESC, id DESC LIMIT :limit;
