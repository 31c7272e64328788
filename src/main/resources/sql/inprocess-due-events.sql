-- inprocess transport: PENDING orders whose latest open event has been due for longer than due_for_s
-- seconds (0 at start-up: all of them), to queue again.
SELECT DISTINCT ON (o.id) e.id, e.event_type, o.id, o.correlation_id, e.traceparent
  FROM orders o JOIN outbox e ON e.order_id = o.id AND e.status <> 'DONE'
 WHERE o.status = 'PENDING' AND e.next_attempt_at <= now() - make_interval(secs => :due_for_s)
 ORDER BY o.id, e.id DESC
 LIMIT :limit;
