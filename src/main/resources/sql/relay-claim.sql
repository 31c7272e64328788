-- sqs transport: the relay claims ready outbox events (SKIP LOCKED, so several API instances can relay at
-- once). The order's status is not touched: the worker starts it when the message arrives.
WITH ready AS (
    SELECT id FROM outbox
     WHERE status = 'PENDING' AND next_attempt_at <= now()
     ORDER BY next_attempt_at, id
     LIMIT :limit
     FOR UPDATE SKIP LOCKED)
UPDATE outbox e SET status = 'LOCKED', locked_by = :relay_id, locked_at = now()
  FROM ready WHERE e.id = ready.id
RETURNING e.id, e.event_type, e.order_id, e.correlation_id, e.traceparent;
