-- The outbox wake-up, in a transaction of its own after intake's commit. A NOTIFY gets a transaction id, so
-- its commit would wait for a WAL flush; nothing durable is written, so that commit is made asynchronous.
-- A notification lost in a crash only means the worker's next poll finds the events. (LISTEN takes no
-- parameter: OutboxListener runs it with the channel's name.)
SELECT set_config('synchronous_commit', 'off', true), pg_notify(:channel, '');
