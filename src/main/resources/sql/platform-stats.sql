-- The console's overview in one statement. Counting orders by status reads the whole table (an index-only
-- scan at best): fine every few seconds for a console, not for a hot path. The outbox backlog and the DLQ
-- are served by their partial indexes, as in sample-backlog.sql.
SELECT now() AS at,
       count(*) FILTER (WHERE status = 'PENDING') AS pending,
       count(*) FILTER (WHERE status = 'PROCESSING') AS processing,
       count(*) FILTER (WHERE status = 'PROCESSED') AS processed,
       count(*) FILTER (WHERE status = 'FAILED') AS failed,
       count(*) AS total,
       (SELECT count(*) FROM outbox WHERE status IN ('PENDING', 'LOCKED')) AS backlog,
       (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)
          FROM outbox WHERE status IN ('PENDING', 'LOCKED')) AS oldest_seconds,
       (SELECT count(*) FROM dlq) AS dlq
  FROM orders;
