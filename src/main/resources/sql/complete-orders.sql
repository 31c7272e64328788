-- Completes a batch of successful attempts: the orders, their events and the audit rows in one statement.
-- Transition: PROCESSING -> PROCESSED (COMPLETE), only for the attempt this worker holds (fencing by lease
-- owner and attempt number). Returns each completed order with its seconds from intake.
WITH work AS (
    SELECT * FROM unnest(:order_ids::uuid[], :attempts::int[], :event_ids::bigint[]) AS w(order_id, attempt, event_id)
), done AS (
    UPDATE orders o
       SET status = 'PROCESSED', failure_reason = NULL, locked_by = NULL, locked_at = NULL,
           updated_at = now()
      FROM work
     WHERE o.id = work.order_id AND o.status = 'PROCESSING'
       AND o.locked_by = :worker_id AND o.retry_count = work.attempt
    RETURNING o.id, o.retry_count, o.created_at
), events AS (
    UPDATE outbox e SET status = 'DONE', done_at = now()
      FROM work JOIN done ON done.id = work.order_id
     WHERE e.id = work.event_id AND e.status <> 'DONE'
), history AS (
    INSERT INTO order_transitions (order_id, from_status, to_status, attempt, worker_id)
    SELECT id, 'PROCESSING', 'PROCESSED', retry_count, :worker_id FROM done
)
SELECT id, extract(epoch FROM now() - created_at) FROM done;
