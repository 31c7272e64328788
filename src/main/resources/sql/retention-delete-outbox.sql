-- Retention: one bounded batch of outbox rows processed or relayed longer ago than the retention
-- (SKIP LOCKED: never waits on, or blocks, intake and claims).
DELETE FROM outbox WHERE id IN (
    SELECT id FROM outbox
     WHERE status = 'DONE' AND done_at < now() - make_interval(secs => :retention_s)
     ORDER BY id
     LIMIT :batch_size
     FOR UPDATE SKIP LOCKED);
