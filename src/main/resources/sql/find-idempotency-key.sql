-- The first request of an Idempotency-Key: its body's hash and the order it created.
SELECT request_hash, order_id, correlation_id FROM idempotency_keys WHERE key = :key;
