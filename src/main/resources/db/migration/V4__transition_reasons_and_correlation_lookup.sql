-- The operator console (issue 11): an order's history says why each transition happened, and orders
-- are found by the correlation id an operator copies from a log line or a client's report.

-- Why the transition happened: the failure of a retried or dead-lettered attempt, a lease expiry, an
-- operator's reprocess. NULL for completions and for rows written before this migration.
ALTER TABLE order_transitions ADD COLUMN reason text;

-- GET /orders?correlationId=: equality on the id, newest first, without a scan of all orders.
CREATE INDEX orders_correlation_idx ON orders (correlation_id, created_at DESC, id);
