-- Attempts exhausted. Transition: PROCESSING -> FAILED (FAIL), only for the attempt this worker holds:
-- the order, its DLQ entry and the end of its event in one statement. Returns the order's seconds from
-- intake, or no row when this worker no longer held it.
WITH failed AS (
    UPDATE orders
       SET status = 'FAILED', failure_reason = :reason, locked_by = NULL, locked_at = NULL, updated_at = now()
     WHERE id = :order_id AND status = 'PROCESSING' AND locked_by = :worker_id AND retry_count = :attempt
    RETURNING id, retry_count, correlation_id, created_at, failure_reason
), history AS (
    INSERT INTO order_transitions (order_id, from_status, to_status, attempt, worker_id, reason)
    SELECT id, 'PROCESSING', 'FAILED', retry_count, :worker_id, failure_reason FROM failed
), entry AS (
    INSERT INTO dlq (order_id, reason, retry_count, correlation_id)
    SELECT id, failure_reason, retry_count, correlation_id FROM failed
    ON CONFLICT (order_id) DO UPDATE
       SET reason = EXCLUDED.reason, retry_count = EXCLUDED.retry_count,
           correlation_id = EXCLUDED.correlation_id, failed_at = now()
), event AS (
    UPDATE outbox SET status = 'DONE', done_at = now()
     WHERE id = :event_id AND status <> 'DONE' AND (locked_by IS NULL OR locked_by = :worker_id)
       AND EXISTS (SELECT 1 FROM failed)
)
SELECT extract(epoch FROM now() - created_at) FROM failed;
