-- A failed attempt with attempts left. Transition: PROCESSING -> PENDING (RETRY), only for the attempt
-- this worker holds. Where this worker holds the order's outbox event (or nobody does, inprocess), the
-- event waits until the backoff has passed. Returns 1 when the order went back, 0 when it was not held.
WITH back AS (
    UPDATE orders
       SET status = 'PENDING', failure_reason = :reason, locked_by = NULL, locked_at = NULL, updated_at = now()
     WHERE id = :order_id AND status = 'PROCESSING' AND locked_by = :worker_id AND retry_count = :attempt
    RETURNING id, retry_count, failure_reason
), history AS (
    INSERT INTO order_transitions (order_id, from_status, to_status, attempt, worker_id, reason)
    SELECT id, 'PROCESSING', 'PENDING', retry_count, :worker_id, failure_reason FROM back
), event AS (
    UPDATE outbox
       SET status = 'PENDING', next_attempt_at = now() + make_interval(secs => :delay_s),
           locked_by = NULL, locked_at = NULL
     WHERE id = :event_id AND status <> 'DONE' AND (locked_by IS NULL OR locked_by = :worker_id)
       AND EXISTS (SELECT 1 FROM back)
)
SELECT count(*) FROM back;
