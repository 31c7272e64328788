-- The newest orders in one status (GET /orders?status=), served by orders_status_created_idx.
-- The same columns as every orders read (OrderStore.queryOrders maps them).
SELECT id, status, customer_id, currency, items::text AS items, total, retry_count, failure_reason,
       correlation_id, created_at, updated_at
  FROM orders WHERE status = :status
 ORDER BY created_at DESC, id DESC LIMIT :limit;
