// The store's held-out frames for `model compare`, as one YOLO folder: the captured frames
// labelled done whose fixed split is "heldout" (frame-card.ts), plus any frames already placed
// in teach/frames/{images,labels}/heldout/. Rebuilt on each compare (links and small text
// files), so a frame relabelled or excluded since is scored as it is now.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { capturedDir } from './capture.js';
import { readCard } from './frame-card.js';
import { teachDir } from './sprites.js';

/** The folder (split "heldout") with every labelled held-out frame, or null when there are none. */
export function labelledHeldOut(dataDir: string): string | null {
  const placed = join(teachDir(dataDir), 'frames');
  const captured = capturedDir(dataDir);
  const cards = (existsSync(captured) ? readdirSync(captured) : [])
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ stem: f.slice(0, -5), card: readCard(captured, f.slice(0, -5)) }))
    .filter(
      ({ stem, card }) =>
        card?.state === 'done' && card.split === 'heldout' && existsSync(join(captured, `${stem}.jpg`)),
    );
  const placedLabels = join(placed, 'labels', 'heldout');
  const hasPlaced = existsSync(placedLabels) && existsSync(join(placed, 'classes.txt'));
  if (!cards.length) return hasPlaced ? placed : null;

  const out = join(teachDir(dataDir), 'heldout', 'store-labelled');
  rmSync(out, { recursive: true, force: true });
  for (const d of ['images', 'labels']) mkdirSync(join(out, d, 'heldout'), { recursive: true });
  // Frames already placed keep their class ids: their classes come first, new labels after.
  const classes = hasPlaced
    ? readFileSync(join(placed, 'classes.txt'), 'utf8').split('\n').filter(Boolean)
    : [];
  if (hasPlaced)
    for (const f of readdirSync(join(placed, 'images', 'heldout'))) {
      const label = join(placedLabels, f.replace(/\.\w+$/, '.txt'));
      if (!existsSync(label)) continue;
      symlinkSync(join(placed, 'images', 'heldout', f), join(out, 'images', 'heldout', `placed-${f}`));
      symlinkSync(label, join(out, 'labels', 'heldout', `placed-${f.replace(/\.\w+$/, '.txt')}`));
    }
  for (const { stem, card } of cards) {
    if (!card) continue;
    const lines = card.boxes.map(({ label, box: [x1, y1, x2, y2] }) => {
      if (!classes.includes(label)) classes.push(label);
      const v = [
        (x1 + x2) / 2 / card.width,
        (y1 + y2) / 2 / card.height,
        (x2 - x1) / card.width,
        (y2 - y1) / card.height,
      ];
      return `${classes.indexOf(label)} ${v.map((x) => x.toFixed(6)).join(' ')}\n`;
    });
    symlinkSync(join(captured, `${stem}.jpg`), join(out, 'images', 'heldout', `${stem}.jpg`));
    writeFileSync(join(out, 'labels', 'heldout', `${stem}.txt`), lines.join(''));
  }
  writeFileSync(join(out, 'classes.txt'), `${classes.join('\n')}\n`);
  return out;
}
