-- The gauges' sample of the outbox backlog and the DLQ size; each count is served by a partial index.
SELECT (SELECT count(*) FROM outbox WHERE status = 'PENDING' AND next_attempt_at <= now()) AS ready,
       (SELECT count(*) FROM outbox WHERE status = 'LOCKED') AS locked,
       (SELECT coalesce(extract(epoch FROM now() - min(created_at)) * 1000, 0)
          FROM outbox WHERE status IN ('PENDING', 'LOCKED')) AS oldest_ms,
       (SELECT count(*) FROM dlq) AS dlq;
