-- sqs transport: the events SQS refused wait for the next round.
UPDATE outbox SET status = 'PENDING', locked_by = NULL, locked_at = NULL
 WHERE id = ANY(:event_ids) AND status = 'LOCKED' AND locked_by = :relay_id;
