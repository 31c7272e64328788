-- sqs transport: the events SQS accepted are relayed.
UPDATE outbox SET status = 'DONE', done_at = now()
 WHERE id = ANY(:event_ids) AND status = 'LOCKED' AND locked_by = :relay_id;
