// A complete detector config from a few keys, defaults from the schema (CLI, bench, tests).
import { applyDefaults } from '../config/defaults.js';
import type { DetectorConfig } from '../config/schema.js';
import { DetectorSection } from '../config/sections/detector.js';

export function detectorConfig(keys: Partial<DetectorConfig> & { model: string }): DetectorConfig {
  const defined = Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined));
  return applyDefaults(DetectorSection, structuredClone(defined)) as DetectorConfig;
}
