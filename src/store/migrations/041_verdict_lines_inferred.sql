-- verify stage, level 41 (hard-counter branch). A verdict keeps the linked order's lines as staff
-- read them, modifiers applied ("Burger Meal, no drink"), and whether its tray was inferred from a
-- settled group of items because no tray box was seen (docs/DESIGN.md "Tray lifecycle").
ALTER TABLE verdicts ADD COLUMN lines_json TEXT;
ALTER TABLE verdicts ADD COLUMN tray_inferred INTEGER NOT NULL DEFAULT 0;
