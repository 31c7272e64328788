-- Outbox transport: claims ready events (SKIP LOCKED, served by outbox_ready_idx) and starts their orders.
-- Transition: PENDING -> PROCESSING (START), one attempt more. An event whose order is not PENDING (a
-- duplicate or late event) comes back with a NULL retry_count: discard-events.sql ends it.
WITH ready AS (
    SELECT id FROM outbox
     WHERE status = 'PENDING' AND next_attempt_at <= now()
     ORDER BY next_attempt_at, id
     LIMIT :limit
     FOR UPDATE SKIP LOCKED
), claimed AS (
    UPDATE outbox e SET status = 'LOCKED', locked_by = :worker_id, locked_at = now()
      FROM ready WHERE e.id = ready.id
    RETURNING e.id, e.event_type, e.order_id, e.correlation_id, e.traceparent
), started AS (
    UPDATE orders o
       SET status = 'PROCESSING', retry_count = o.retry_count + 1,
           locked_by = :worker_id, locked_at = now(), updated_at = now()
      FROM claimed
     WHERE o.id = claimed.order_id AND o.status = 'PENDING'
    RETURNING o.id, o.retry_count
)
SELECT c.id, c.event_type, c.order_id, c.correlation_id, s.retry_count, c.traceparent
  FROM claimed c LEFT JOIN started s ON s.id = c.order_id
 ORDER BY c.id;
