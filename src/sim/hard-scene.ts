// Training scenes for the hard counter (`traycheck dataset --difficulty hard`): what the eval's
// hard preset (hard.ts) shows the camera, so the detector sees it in training. The trays are laid
// out by sceneForTrays, the function the simulated camera uses (scenario-camera.ts), so crowded
// trays overlap and hide the tray box exactly as in eval; light and clutter come from the preset,
// jittered a little around it so that the model learns dim light rather than one brightness.
import { HARD_BRIGHTNESS, hardOptions } from './hard.js';
import { ITEM_LABELS, sceneForTrays, type Scene } from './render/index.js';
import { chance, int, pick, r2, range, rngFor } from './render/random.js';

/** Share of items that are sauce cups: the small item phantoms and misses come from. */
const SAUCE_SHARE = 0.2;

export function hardScene(seed: number, size: { width: number; height: number }): Scene {
  const rng = rngFor(seed, 61);
  const preset = hardOptions({});
  const maxItems = preset.maxItems ?? 10;
  // Mostly one or two trays (the preset pairs 30 % of trays); a few empty counters as negatives.
  const nTrays = pick(rng, [0, 1, 1, 1, 2, 2, 2, 1, 2, 1]);
  const trays = Array.from({ length: nTrays }, () => {
    // Crowded more often than not: the tray box hides under 7-10 items.
    const n = chance(rng, 0.6) ? int(rng, 7, maxItems) : int(rng, 1, 6);
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const label = chance(rng, SAUCE_SHARE) ? 'sauce' : pick(rng, ITEM_LABELS);
      counts[label] = (counts[label] ?? 0) + 1;
    }
    return counts;
  });
  return sceneForTrays(trays, seed, {
    ...size,
    brightness: r2(HARD_BRIGHTNESS + range(rng, -0.12, 0.12)),
    warmth: r2((preset.warmth ?? 0) + range(rng, -0.25, 0.25)),
    distractors: preset.clutter ?? 8,
    noise: r2(range(rng, 0.2, 0.45)),
    ...(nTrays > 0 && chance(rng, 0.2) ? { hand: int(rng, 0, nTrays - 1) } : {}),
  });
}
