-- pgbench: one worker cycle of the outbox transport, WorkStore.CLAIM_OUTBOX then WorkStore.COMPLETE,
-- each in its own transaction (autocommit), as the service runs them. The claim's rows are aggregated
-- into arrays (what the service collects in memory) and \gset hands them to the completion statement.
WITH ready AS (
    SELECT id FROM outbox
     WHERE status = 'PENDING' AND next_attempt_at <= now()
     ORDER BY next_attempt_at, id
     LIMIT :batch
     FOR UPDATE SKIP LOCKED
), claimed AS (
    UPDATE outbox e SET status = 'LOCKED', locked_by = :wid, locked_at = now()
      FROM ready WHERE e.id = ready.id
    RETURNING e.id, e.event_type, e.order_id, e.correlation_id, e.traceparent
), started AS (
    UPDATE orders o
       SET status = 'PROCESSING', retry_count = o.retry_count + 1,
           locked_by = :wid, locked_at = now(), updated_at = now()
      FROM claimed
     WHERE o.id = claimed.order_id AND o.status = 'PENDING'
    RETURNING o.id, o.retry_count
), result AS (
    SELECT c.id, c.event_type, c.order_id, c.correlation_id, s.retry_count, c.traceparent
      FROM claimed c LEFT JOIN started s ON s.id = c.order_id
     ORDER BY c.id
)
SELECT coalesce(array_agg(order_id)::text, '{}') AS oids,
       coalesce(array_agg(retry_count)::text, '{}') AS atts,
       coalesce(array_agg(id)::text, '{}') AS eids
  FROM result \gset
WITH work AS (
    SELECT * FROM unnest(:oids::uuid[], :atts::int[], :eids::bigint[]) AS w(order_id, attempt, event_id)
), done AS (
    UPDATE orders o
       SET status = 'PROCESSED', failure_reason = NULL, locked_by = NULL, locked_at = NULL,
           updated_at = now()
      FROM work
     WHERE o.id = work.order_id AND o.status = 'PROCESSING'
       AND o.locked_by = :wid AND o.retry_count = work.attempt
    RETURNING o.id, o.retry_count, o.created_at
), events AS (
    UPDATE outbox e SET status = 'DONE', done_at = now()
      FROM work JOIN done ON done.id = work.order_id
     WHERE e.id = work.event_id AND e.status <> 'DONE'
), history AS (
    INSERT INTO order_transitions (order_id, from_status, to_status, attempt, worker_id)
    SELECT id, 'PROCESSING', 'PROCESSED', retry_count, :wid FROM done
)
SELECT id, extract(epoch FROM now() - created_at) FROM done;
