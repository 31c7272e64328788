-- Tracing (orders.tracing.enabled): the W3C traceparent of the span that wrote an outbox event (the intake or
-- reprocess request), so that the worker's attempt joins that trace whatever carries the event. NULL when tracing
-- is off. Version 00 of the format is exactly 55 characters; the service only stores values it generated itself.
-- A nullable column without a default: adding it rewrites nothing, whatever the size of the outbox.
ALTER TABLE outbox ADD COLUMN traceparent varchar(55);
COMMENT ON COLUMN outbox.traceparent IS
    'W3C traceparent of the request that wrote the event (orders.tracing.enabled); NULL when tracing is off';
