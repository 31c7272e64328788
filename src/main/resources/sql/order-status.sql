-- The current status of an order; no row when it does not exist.
SELECT status FROM orders WHERE id = :order_id;
