-- dashboard stage, level 42. A tray served with an error stays on every wall screen until someone
-- dismisses it there: who and when are kept on the alert, so every screen drops it and a reload
-- does not bring it back. A settled tray keeps the detections it was judged on (label, score,
-- uncertain flag, box), shown as evidence on /history next to its snapshot.
ALTER TABLE alerts ADD COLUMN dismissed_at INTEGER;
ALTER TABLE alerts ADD COLUMN dismissed_by TEXT;
ALTER TABLE tray_observations ADD COLUMN detections_json TEXT;
