-- sqs transport: orders the queue should have delivered long ago: PENDING, untouched for the redrive delay,
-- with no event waiting in the outbox and none relayed within that delay. Their message is gone (an SQS that
-- lost its messages, like the in-memory embedded ElasticMQ when its process dies, or a message purged or
-- moved to the redrive DLQ). A new OrderRedriven event sends them again, in the trace of the order's last
-- event while that row is kept (orders.outbox.retention); should the old message still turn up, the
-- worker's guarded start makes the copy harmless. The order's status is not touched.
WITH stranded AS (
    SELECT o.id, o.correlation_id FROM orders o
     WHERE o.status = 'PENDING' AND o.updated_at < now() - make_interval(secs => :redrive_after_s)
       AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.order_id = o.id
                         AND (e.status <> 'DONE' OR e.done_at > now() - make_interval(secs => :redrive_after_s)))
     ORDER BY o.updated_at
     LIMIT :limit
     FOR UPDATE OF o SKIP LOCKED)
INSERT INTO outbox (order_id, event_type, payload, correlation_id, traceparent)
SELECT id, 'OrderRedriven',
       jsonb_build_object('type', 'OrderRedriven', 'orderId', id, 'correlationId', correlation_id),
       correlation_id,
       (SELECT e.traceparent FROM outbox e WHERE e.order_id = stranded.id ORDER BY e.id DESC LIMIT 1)
  FROM stranded
RETURNING id;
