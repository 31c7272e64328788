-- Reprocess in one statement, for one id or a list of them. Transition: FAILED -> PENDING (REPROCESS).
-- Deletes the DLQ entries of FAILED orders, resets those orders to PENDING with a fresh attempt budget,
-- records the transitions and writes one OrderReprocessed event each, with the reprocess request's
-- traceparent (a reprocess starts a new trace, see docs/operations.md "Tracing"). One row comes back per
-- given id, in the given order; its last columns tell a missing DLQ entry (404) from an order in another
-- state (409). Every part of the statement sees the same snapshot, so had_entry is the entry as it was
-- before the delete. The DLQ rows are locked in order_id order first: two requests naming the same orders
-- in different orders would otherwise lock them in different orders and deadlock (BulkReprocessRaceTest).
WITH ids AS (
    SELECT order_id, pos FROM unnest(:order_ids::uuid[]) WITH ORDINALITY AS i(order_id, pos)
), claimed AS (
    SELECT d.order_id FROM dlq d JOIN ids ON ids.order_id = d.order_id
     ORDER BY d.order_id
       FOR UPDATE OF d
), entry AS (
    DELETE FROM dlq d USING orders o, claimed
     WHERE d.order_id = claimed.order_id AND o.id = d.order_id AND o.status = 'FAILED'
    RETURNING d.order_id
), reset AS (
    UPDATE orders o
       SET status = 'PENDING', retry_count = 0, failure_reason = NULL,
           locked_by = NULL, locked_at = NULL, updated_at = now()
      FROM entry
     WHERE o.id = entry.order_id AND o.status = 'FAILED'
    RETURNING o.id, o.correlation_id
), history AS (
    INSERT INTO order_transitions (order_id, from_status, to_status, attempt, reason)
    SELECT id, 'FAILED', 'PENDING', 0, 'reprocessed by an operator' FROM reset
), event AS (
    INSERT INTO outbox (order_id, event_type, payload, correlation_id, traceparent)
    SELECT id, 'OrderReprocessed',
           jsonb_build_object('type', 'OrderReprocessed', 'orderId', id, 'correlationId', correlation_id),
           correlation_id, :traceparent::varchar
      FROM reset
    RETURNING id, order_id, correlation_id
)
SELECT ids.order_id, event.id AS event_id, event.correlation_id,
       EXISTS (SELECT 1 FROM dlq WHERE dlq.order_id = ids.order_id) AS had_entry
  FROM ids LEFT JOIN event ON event.order_id = ids.order_id
 ORDER BY ids.pos;
