-- pgbench only (bench/sql/compose.sh): the service keeps the rows claim-outbox.sql returns in memory and
-- hands them to complete-orders.sql as arrays; pgbench cannot keep rows, so this reads the same rows back
-- (the orders this client started and their events) into the arrays, with \gset. One small statement per
-- batch, served by the partial index on LOCKED events and the orders' primary key (the three arrays are
-- aggregated over the same rows, so their elements line up).
SELECT coalesce(array_agg(o.id)::text, '{}') AS order_ids,
       coalesce(array_agg(o.retry_count)::text, '{}') AS attempts,
       coalesce(array_agg(e.id)::text, '{}') AS event_ids
  FROM outbox e JOIN orders o ON o.id = e.order_id
 WHERE e.status = 'LOCKED' AND e.locked_by = :worker_id::varchar
   AND o.status = 'PROCESSING' AND o.locked_by = :worker_id::varchar
\gset
