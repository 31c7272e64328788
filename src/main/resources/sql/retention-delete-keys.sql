-- Retention: one bounded batch of expired idempotency keys (SKIP LOCKED).
DELETE FROM idempotency_keys WHERE key IN (
    SELECT key FROM idempotency_keys
     WHERE created_at < now() - make_interval(secs => :retention_s)
     ORDER BY created_at
     LIMIT :batch_size
     FOR UPDATE SKIP LOCKED);
