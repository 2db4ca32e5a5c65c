// What `traycheck train` feeds the renderer and the trainer from the store's own data: its
// sprites (linked into the run's workspace; the store's new labels become classes after the base
// model's) and its labelled frames
// (added to the training split, repeated), and the clean-up of a train.py left by a killed CLI.
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
import { newLabels } from './labels.js';
import { modelMeta } from './registry.js';
import { countSprites, spritesDir, teachDir } from './sprites.js';
import type { TrainEvent } from './train.js';

/** Labelled frames repeat this often in the training split, so a few hundred matter among renders. */
const FRAME_REPEAT = 4;

/** Stops a train.py left running by a CLI that was killed outright (its pid, if still train.py). */
export async function stopOrphan(pid: number | undefined): Promise<void> {
  if (!pid) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes('train.py')) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * The store's sprites, linked into the workspace, and the new labels among them (in the order the
 * store created them: their class indices follow the base model's); null when there are none.
 */
export function spriteFolder(
  deps: { dataDir: string; datasetHasSprites: boolean; onEvent(e: TrainEvent): void },
  baseModel: string,
  ws: string,
): { dir: string; newLabels: string[] } | null {
  const counts = countSprites(deps.dataDir);
  if (!Object.keys(counts).length || !deps.datasetHasSprites) {
    if (Object.keys(counts).length)
      deps.onEvent({
        type: 'warning',
        message: "this build's dataset renderer takes no --sprites: training on drawn items only",
      });
    return null;
  }
  const known = modelMeta(baseModel).labels;
  const dir = join(ws, 'sprites');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const created = newLabels(deps.dataDir).filter((l) => !known.includes(l));
  for (const label of Object.keys(counts)) {
    if (known.includes(label) || created.includes(label))
      symlinkSync(join(spritesDir(deps.dataDir), label), join(dir, label));
    else
      deps.onEvent({
        type: 'warning',
        message: `sprites of "${label}" are left out: neither a label of ${known.join(', ')} nor one created with --new-label`,
      });
  }
  if (!readdirSync(dir).length) return null;
  const trained = created.filter((l) => counts[l]);
  for (const l of created.filter((x) => !counts[x]))
    deps.onEvent({ type: 'warning', message: `new label "${l}" has no sprites yet: not trained` });
  return { dir, newLabels: trained };
}

/** The store's labelled frames (teach/frames, split "train") added to the rendered train split, repeated. */
export function addStoreFrames(dataDir: string, data: string): number {
  const src = join(teachDir(dataDir), 'frames');
  const imgs = join(src, 'images', 'train');
  if (!existsSync(imgs)) return 0;
  let n = 0;
  for (const f of readdirSync(imgs).filter((x) => /\.(jpe?g|png)$/i.test(x))) {
    const stem = f.replace(/\.\w+$/, '');
    const label = join(src, 'labels', 'train', `${stem}.txt`);
    if (!existsSync(label)) continue;
    for (let k = 0; k < FRAME_REPEAT; k++) {
      symlinkSync(join(imgs, f), join(data, 'images', 'train', `store-${stem}-${k}${f.slice(stem.length)}`));
      symlinkSync(label, join(data, 'labels', 'train', `store-${stem}-${k}.txt`));
    }
    n++;
  }
  return n + addLabelledFrames(dataDir, data);
}

/**
 * The captured frames labelled done on /teach (teach/frames/captured/, split "train"), repeated
 * like the others; excluded and unlabelled ones never. Their boxes are written in the class order
 * of the rendered dataset (its classes.txt); a box of a label the dataset has not is left out.
 */
export function addLabelledFrames(dataDir: string, data: string): number {
  const dir = capturedDir(dataDir);
  const classesFile = join(data, 'classes.txt');
  if (!existsSync(dir) || !existsSync(classesFile)) return 0;
  const classes = readFileSync(classesFile, 'utf8').split('\n').filter(Boolean);
  let n = 0;
  for (const stem of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))) {
    const card = readCard(dir, stem);
    if (card?.state !== 'done' || card.split !== 'train' || !existsSync(join(dir, `${stem}.jpg`))) continue;
    const yolo = card.boxes
      .filter((b) => classes.includes(b.label))
      .map(({ label, box: [x1, y1, x2, y2] }) => {
        const v = [
          (x1 + x2) / 2 / card.width,
          (y1 + y2) / 2 / card.height,
          (x2 - x1) / card.width,
          (y2 - y1) / card.height,
        ];
        return `${classes.indexOf(label)} ${v.map((x) => x.toFixed(6)).join(' ')}\n`;
      })
      .join('');
    for (let k = 0; k < FRAME_REPEAT; k++) {
      symlinkSync(join(dir, `${stem}.jpg`), join(data, 'images', 'train', `labelled-${stem}-${k}.jpg`));
      writeFileSync(join(data, 'labels', 'train', `labelled-${stem}-${k}.txt`), yolo);
    }
    n++;
  }
  return n;
}
