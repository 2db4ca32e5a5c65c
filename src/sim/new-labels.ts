// Training a label no model knows yet (a store's new menu item): it gets the next
// class index after the base classes, and since the renderer has no drawing of it, it appears in
// training frames only as the store's sprites: some items of a sprite frame become one of them.
import { CLASSES, type Scene } from './render/index.js';
import type { SpriteSet } from './render/photolib.js';
import { chance, int, pick, rngFor } from './render/random.js';
import { ITEM_RADIUS } from './render/scene.js';

/**
 * Share of the items in a sprite frame that become a new label. A third: a new item must be
 * learnt in a short fine-tune, while the base classes keep most of the examples.
 */
const NEW_LABEL_SHARE = 0.3;
/** Size of a new item when the renderer knows none: the size of the item it replaces. */
const DEFAULT_RADIUS = 30;

/** The model's class list with the new labels after the base classes; throws on a clash. */
export function classList(newLabels: readonly string[]): string[] {
  const out: string[] = [...CLASSES];
  for (const l of newLabels) {
    if (out.includes(l)) throw new Error(`new label "${l}" is already a class (${out.join(', ')})`);
    out.push(l);
  }
  return out;
}

/** The scene with some items turned into new labels that have sprites (deterministic per scene). */
export function withNewLabels(scene: Scene, sprites: SpriteSet, newLabels: readonly string[]): Scene {
  const usable = newLabels.filter((l) => (sprites.get(l)?.length ?? 0) > 0);
  if (!usable.length) return scene;
  const rng = rngFor(scene.seed, 44);
  const out = structuredClone(scene);
  for (const tray of out.trays)
    for (const it of tray.items) {
      if (!chance(rng, NEW_LABEL_SHARE)) continue;
      const label = pick(rng, usable);
      const list = sprites.get(label) ?? [];
      // The slot keeps the replaced item's size unless the renderer knows this item's own.
      if (ITEM_RADIUS[label] === undefined)
        it.scale *= (ITEM_RADIUS[it.label] ?? DEFAULT_RADIUS) / DEFAULT_RADIUS;
      it.label = label;
      it.sprite = int(rng, 0, list.length - 1);
    }
  return out;
}
