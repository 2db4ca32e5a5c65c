-- traycheck schema, level 1. Times are epoch milliseconds (INTEGER).

CREATE TABLE orders (
  order_id     TEXT PRIMARY KEY,
  version      INTEGER NOT NULL DEFAULT 1,
  station      TEXT,
  channel      TEXT,
  items_json   TEXT NOT NULL,            -- OrderLine[]
  status       TEXT NOT NULL,            -- open|ready|verified|mismatch|served|cancelled|expired
  placed_at    INTEGER NOT NULL,
  ready_at     INTEGER,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX orders_status_placed ON orders(status, placed_at);

-- Every received POS/KDS event, in arrival order: the audit trail.
CREATE TABLE order_events (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id     TEXT NOT NULL,
  event_id     TEXT,
  type         TEXT NOT NULL,
  topic        TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  received_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX order_events_event_id ON order_events(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX order_events_order ON order_events(order_id, id);

CREATE TABLE rejected_messages (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  topic        TEXT NOT NULL,
  reason       TEXT NOT NULL,
  payload      TEXT NOT NULL,            -- raw payload, truncated
  received_at  INTEGER NOT NULL
);
CREATE INDEX rejected_messages_time ON rejected_messages(received_at);

CREATE TABLE tray_observations (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  camera_id    TEXT NOT NULL,
  tray_id      TEXT NOT NULL,
  phase        TEXT NOT NULL,            -- settled|changed|departed
  items_json   TEXT NOT NULL,
  uncertain_json TEXT NOT NULL DEFAULT '[]',
  snapshot_id  TEXT,
  ts           INTEGER NOT NULL
);
CREATE INDEX tray_observations_tray ON tray_observations(tray_id, ts);

CREATE TABLE verdicts (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  tray_id      TEXT NOT NULL,
  camera_id    TEXT NOT NULL,
  order_id     TEXT,
  order_version INTEGER,
  link         TEXT NOT NULL,            -- ready|best-match|fifo|none
  result       TEXT NOT NULL,            -- ok|mismatch|uncertain|unlinked
  expected_json TEXT NOT NULL,
  observed_json TEXT NOT NULL,
  missing_json TEXT NOT NULL,
  extra_json   TEXT NOT NULL,
  unverifiable_json TEXT NOT NULL DEFAULT '[]',
  uncertain_json TEXT NOT NULL DEFAULT '[]',
  model_sha256 TEXT,
  snapshot_id  TEXT,
  settled_ts   INTEGER,
  ts           INTEGER NOT NULL
);
CREATE INDEX verdicts_ts ON verdicts(ts);
CREATE INDEX verdicts_order ON verdicts(order_id);
CREATE INDEX verdicts_tray ON verdicts(tray_id);

CREATE TABLE alerts (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  tray_id      TEXT NOT NULL,
  camera_id    TEXT NOT NULL,
  order_id     TEXT,
  verdict_id   INTEGER NOT NULL REFERENCES verdicts(id),
  status       TEXT NOT NULL,            -- open|acknowledged|resolved
  resolution   TEXT,                     -- corrected|acknowledged|served-with-error
  opened_at    INTEGER NOT NULL,
  acknowledged_at INTEGER,
  acknowledged_by TEXT,
  resolved_at  INTEGER,
  snapshot_id  TEXT,
  latency_ms   INTEGER
);
CREATE INDEX alerts_status ON alerts(status, opened_at);
CREATE INDEX alerts_tray ON alerts(tray_id);

CREATE TABLE snapshots (
  id           TEXT PRIMARY KEY,         -- random hex id, also the file name stem
  camera_id    TEXT NOT NULL,
  tray_id      TEXT,
  path         TEXT NOT NULL,            -- relative to <dataDir>/snapshots
  bytes        INTEGER NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX snapshots_created ON snapshots(created_at);

CREATE TABLE users (
  username     TEXT PRIMARY KEY,
  role         TEXT NOT NULL,            -- admin|staff
  password_hash TEXT NOT NULL,           -- scrypt$N$r$p$salt$hash
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);

CREATE TABLE sessions (
  id_hash      TEXT PRIMARY KEY,         -- sha256 of the cookie value
  username     TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);

-- Small key/value facts: setup token hash, last retention run, ...
CREATE TABLE meta (
  key          TEXT PRIMARY KEY,
  value        TEXT NOT NULL
);
