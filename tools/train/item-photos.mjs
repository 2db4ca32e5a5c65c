// Cut-out "photos" (PNG with transparency) of an item the renderer draws, as a technician would
// supply them: for trying the teaching loop on the demo with its new item (README quick start).
// Usage: node tools/train/item-photos.mjs --item hotdog --count 20 --out DIR [--seed 1]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRAWERS } from '../../dist/src/sim/render/compose.js';
import { itemSprite } from '../../dist/src/sim/render/items-new.js';
import { rngFor } from '../../dist/src/sim/render/random.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const item = arg('--item', 'hotdog');
const out = arg('--out');
const count = Number(arg('--count', '20'));
const seed = Number(arg('--seed', '1'));
const draw = DRAWERS[item];
if (!out || !draw || !(count > 0)) {
  console.error(`usage: item-photos.mjs --item ${Object.keys(DRAWERS).join('|')} --count N --out DIR`);
  process.exit(2);
}
mkdirSync(out, { recursive: true });
for (let i = 0; i < count; i++) {
  // Phone photos differ in size: 320-480 px on the longer side (the short side over 96 px).
  const rng = rngFor(seed, 77, i);
  const file = join(out, `${item}-${String(i + 1).padStart(2, '0')}.png`);
  writeFileSync(file, await itemSprite(draw, rng, Math.round(320 + rng() * 160)));
}
console.log(`${count} ${item} cut-outs in ${out}`);
