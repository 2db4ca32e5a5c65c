-- ops stage, level 40. Indexes for retention (src/store/retention.ts): range deletes by time,
-- oldest first, and the alert -> verdict reference checked before a verdict is deleted.
CREATE INDEX IF NOT EXISTS alerts_opened ON alerts(opened_at);
CREATE INDEX IF NOT EXISTS alerts_verdict ON alerts(verdict_id);
CREATE INDEX IF NOT EXISTS orders_updated ON orders(updated_at);
CREATE INDEX IF NOT EXISTS order_events_received ON order_events(received_at);
CREATE INDEX IF NOT EXISTS tray_observations_ts ON tray_observations(ts);
