-- Message transports (sqs, inprocess): starts the one order an event names. Transition: PENDING ->
-- PROCESSING (START), one attempt more. A PROCESSING order whose lease expired is taken over while
-- attempts are left (PROCESSING -> PROCESSING, a new owner): its worker died and its message came back.
-- A lease that expired on the last attempt is not taken over (that would be one attempt more than
-- orders.retry.max-attempts): recover-stale-locks.sql fails the order with a DLQ entry.
UPDATE orders
   SET status = 'PROCESSING', retry_count = retry_count + 1,
       locked_by = :worker_id, locked_at = now(), updated_at = now()
 WHERE id = :order_id
   AND (status = 'PENDING'
        OR (status = 'PROCESSING' AND locked_at < now() - make_interval(secs => :lease_timeout_s)
            AND retry_count < :max_attempts))
RETURNING retry_count;
