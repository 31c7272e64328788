-- Stale-lock recovery after a worker or relay crash. Events locked too long return to PENDING; orders whose
-- lease expired count the lost attempt. Transitions: PROCESSING -> PENDING (RETRY) while attempts are left,
-- else PROCESSING -> FAILED (FAIL) with a DLQ entry. Returns the events released, orders retried, orders failed.
-- The DLQ and audit tail is also inprocess-release-orphans.sql's, kept apart on purpose (docs/architecture.md).
WITH events AS (
    UPDATE outbox SET status = 'PENDING', locked_by = NULL, locked_at = NULL, next_attempt_at = now()
     WHERE status = 'LOCKED' AND locked_at < now() - make_interval(secs => :lock_timeout_s)
    RETURNING id
), retried AS (
    UPDATE orders
       SET status = 'PENDING', failure_reason = 'worker lease expired', locked_by = NULL,
           locked_at = NULL, updated_at = now()
     WHERE status = 'PROCESSING' AND locked_at < now() - make_interval(secs => :lock_timeout_s)
       AND retry_count < :max_attempts
    RETURNING id, retry_count, failure_reason
), failed AS (
    UPDATE orders
       SET status = 'FAILED', failure_reason = 'worker lease expired on the last attempt',
           locked_by = NULL, locked_at = NULL, updated_at = now()
     WHERE status = 'PROCESSING' AND locked_at < now() - make_interval(secs => :lock_timeout_s)
       AND retry_count >= :max_attempts
    RETURNING id, retry_count, correlation_id, failure_reason
), entry AS (
    INSERT INTO dlq (order_id, reason, retry_count, correlation_id)
    SELECT id, failure_reason, retry_count, correlation_id FROM failed
    ON CONFLICT (order_id) DO NOTHING
), history AS (
    INSERT INTO order_transitions (order_id, from_status, to_status, attempt, worker_id, reason)
    SELECT id, 'PROCESSING', 'PENDING', retry_count, 'stale-lock-recovery', failure_reason FROM retried
    UNION ALL
    SELECT id, 'PROCESSING', 'FAILED', retry_count, 'stale-lock-recovery', failure_reason FROM failed
)
SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM retried), (SELECT count(*) FROM failed);
