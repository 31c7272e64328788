-- An order's history, oldest first (GET /orders/{id}/transitions); no row at all when the order does not
-- exist, one row of NULLs when it exists without history.
SELECT t.id, t.at, t.from_status, t.to_status, t.attempt, t.worker_id, t.reason
  FROM orders o LEFT JOIN order_transitions t ON t.order_id = o.id
 WHERE o.id = :order_id
 ORDER BY t.id;
