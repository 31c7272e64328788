-- Empties the service's tables between phases (no service process may be running).
TRUNCATE order_transitions, dlq, outbox, orders RESTART IDENTITY;
