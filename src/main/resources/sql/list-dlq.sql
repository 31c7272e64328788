-- DLQ entries, newest first (GET /dlq).
SELECT order_id, reason, retry_count, failed_at, correlation_id
  FROM dlq ORDER BY failed_at DESC, order_id DESC LIMIT :limit;
