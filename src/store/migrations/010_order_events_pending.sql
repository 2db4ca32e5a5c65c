-- orders stage, level 10. A KDS/POS event that arrives before its order (order.ready before
-- order.placed, e.g. after a broker failover) is kept with pending = 1 and applied, in arrival
-- order, when the order arrives (src/orders/book.ts; docs/mqtt.md "Out-of-order events").
ALTER TABLE order_events ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
CREATE INDEX order_events_pending ON order_events(order_id, id) WHERE pending = 1;
CREATE INDEX orders_status_ready ON orders(status, ready_at);
