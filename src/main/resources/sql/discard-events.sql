-- Outbox events this worker claimed whose order was no longer PENDING (a duplicate or late event):
-- nothing to do, the event ends.
UPDATE outbox SET status = 'DONE', done_at = now()
 WHERE id = ANY(:event_ids) AND status = 'LOCKED' AND locked_by = :worker_id;
