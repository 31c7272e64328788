-- Message transports, a batch at a time (sqs): starts the orders a received batch names, in one statement,
-- with the guard of start-order.sql. Transition: PENDING -> PROCESSING (START), one attempt more; a
-- PROCESSING order whose lease expired is taken over while attempts are left. One row per message, in
-- order: the attempt started (null when none), and the order's status (null when no such order exists: a
-- poison message). Two messages naming the same order start it once and both rows show that attempt: the
-- caller keeps the first.
WITH messages AS (
    SELECT * FROM unnest(:order_ids::uuid[]) WITH ORDINALITY AS m(order_id, n)
), started AS (
    UPDATE orders o
       SET status = 'PROCESSING', retry_count = o.retry_count + 1,
           locked_by = :worker_id, locked_at = now(), updated_at = now()
     WHERE o.id IN (SELECT order_id FROM messages)
       AND (o.status = 'PENDING'
            OR (o.status = 'PROCESSING' AND o.locked_at < now() - make_interval(secs => :lease_timeout_s)
                AND o.retry_count < :max_attempts))
    RETURNING o.id, o.retry_count
)
SELECT m.n, s.retry_count, o.status
  FROM messages m LEFT JOIN started s ON s.id = m.order_id LEFT JOIN orders o ON o.id = m.order_id
 ORDER BY m.n;
