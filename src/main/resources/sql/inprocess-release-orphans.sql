-- inprocess transport, at start-up: orders a previous run left in PROCESSING (held by another worker id)
-- count the lost attempt, as in recover-stale-locks.sql. Transitions: PROCESSING -> PENDING (RETRY) while
-- attempts are left, else PROCESSING -> FAILED (FAIL) with a DLQ entry. Returns released, failed.
WITH released AS (
    UPDATE orders
       SET status = 'PENDING', failure_reason = 'worker stopped during processing', locked_by = NULL,
           locked_at = NULL, updated_at = now()
     WHERE status = 'PROCESSING' AND locked_by IS DISTINCT FROM :worker_id AND retry_count < :max_attempts
    RETURNING id, retry_count, failure_reason
), failed AS (
    UPDATE orders
       SET status = 'FAILED', failure_reason = 'worker stopped during the last attempt', locked_by = NULL,
           locked_at = NULL, updated_at = now()
     WHERE status = 'PROCESSING' AND locked_by IS DISTINCT FROM :worker_id AND retry_count >= :max_attempts
    RETURNING id, retry_count, correlation_id, failure_reason
), entry AS (
    INSERT INTO dlq (order_id, reason, retry_count, correlation_id)
    SELECT id, failure_reason, retry_count, correlation_id FROM failed
    ON CONFLICT (order_id) DO NOTHING
), history AS (
    INSERT INTO order_transitions (order_id, from_status, to_status, attempt, worker_id, reason)
    SELECT id, 'PROCESSING', 'PENDING', retry_count, 'inprocess-recovery', failure_reason FROM released
    UNION ALL
    SELECT id, 'PROCESSING', 'FAILED', retry_count, 'inprocess-recovery', failure_reason FROM failed
)
SELECT (SELECT count(*) FROM released), (SELECT count(*) FROM failed);
