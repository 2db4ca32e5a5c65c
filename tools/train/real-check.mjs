// Scores a detector on real photographs we are allowed to use, through the daemon's own detector
// (same letterbox, decoder, NMS and default thresholds as `traycheck run`):
//   - non-food photos (the two interop ones and the held-out Debian photos of the photo library):
//     food detections per photo (menu items; trays and hands are counted apart);
//   - the interop food photos with our own boxes (tools/train/real-labels.json): is the top item
//     label on each real item right, and is food that is not on the menu left alone;
//   - the meal-table photos (CC BY 4.0, "meal-detection-zpryj" v7 by catsaicompanion, Roboflow
//     Universe): salads and drinks found, steak / soup / flatbread not named as menu items.
// Usage (after `npx tsc`): node tools/train/real-check.mjs [--model M] [--photolib DIR] [--no-flip] [--json]
// --no-flip: detector.flipTest off (the plain look only; the default 'auto' averages the mirrored look in).
// Photos live in ../shared (never committed); a missing folder is reported and skipped.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { createDetector } = await import(join(root, 'dist/src/detect/detector.js'));
const { detectorConfig } = await import(join(root, 'dist/src/detect/defaults.js'));
const { decodeImage, detectImage } = await import(join(root, 'dist/src/detect/image.js'));
const { iou } = await import(join(root, 'dist/src/detect/nms.js'));
const { silentLogger } = await import(join(root, 'dist/src/log.js'));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const modelPath = resolve(arg('--model', join(root, 'models/traycheck-det.onnx')));
const photolib = resolve(arg('--photolib', join(root, 'data/photolib')));
const shared = resolve(arg('--shared', join(root, '../shared')));
const json = process.argv.includes('--json');
// --aliases '{"sandwich":"burger","cup":"drink"}': model label → menu label (a generic COCO model).
const aliases = JSON.parse(arg('--aliases', '{}'));
const family = arg('--family');
const modelLabels = arg('--labels');
const NOT_FOOD = new Set(['tray', 'hand']);

/** Share of box b covered by a (a detection "on" an object even when it boxes only part of it). */
const cover = (a, b) => {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  return (w * h) / ((a[2] - a[0]) * (a[3] - a[1]) || 1);
};

const detector = createDetector({
  config: detectorConfig({
    model: modelPath,
    classThresholds: { tray: 0.2 },
    aliases,
    family,
    labelsFile: modelLabels,
    flipTest: process.argv.includes('--no-flip') ? false : 'auto',
  }),
  log: {
    info() {},
    warn() {},
    error() {},
    debug() {},
    child() {
      return this;
    },
  },
});
await detector.start();
let seq = 0;
const detect = async (file) => {
  const img = await decodeImage(file);
  const fd = await detectImage(detector, img, seq++);
  return { ...img, detections: fd.detections };
};

const report = { model: modelPath, sha256: detector.info().sha256, skipped: [] };

// 1. Non-food photos.
const nonFood = [];
for (const f of ['yolox_dog.jpg', 'yfv2_000230.jpg']) {
  const p = join(shared, 'interop/photos', f);
  if (existsSync(p)) nonFood.push({ file: p, source: 'interop' });
  else report.skipped.push(p);
}
const libIndex = join(photolib, 'index.json');
if (existsSync(libIndex)) {
  for (const e of JSON.parse(readFileSync(libIndex, 'utf8')).images)
    if (e.split === 'test' && e.role === 'photo')
      nonFood.push({ file: join(photolib, e.file), source: e.package });
} else report.skipped.push(`${libIndex} (run tools/train/photolib/fetch.sh ${photolib} --split test)`);
report.nonFood = { photos: nonFood.length, food: 0, tray: 0, hand: 0, perPhoto: [] };
for (const { file, source } of nonFood) {
  const { detections } = await detect(file);
  const food = detections.filter((d) => !NOT_FOOD.has(d.label));
  report.nonFood.food += food.length;
  report.nonFood.tray += detections.filter((d) => d.label === 'tray').length;
  report.nonFood.hand += detections.filter((d) => d.label === 'hand').length;
  report.nonFood.perPhoto.push({
    file: file.split('/').pop(),
    source,
    detections: detections.map((d) => `${d.label} ${d.score.toFixed(2)}`),
  });
}

// 2 and 3. Labelled real food: our boxes on the interop photos, the meal-table labels.
const items = []; // { photo, label (menu label or null = not on the menu), box }
const labelsFile = join(root, 'tools/train/real-labels.json');
for (const [photo, boxes] of Object.entries(JSON.parse(readFileSync(labelsFile, 'utf8')).interop)) {
  const p = join(shared, 'interop/photos', photo);
  if (!existsSync(p)) {
    report.skipped.push(p);
    continue;
  }
  for (const b of boxes) items.push({ photo: p, set: 'interop', ...b });
}
const MEAL_MAP = {
  'caesar salad': 'salad',
  'greek salad': 'salad',
  tea: 'drink',
  shot: 'drink',
  'bone-in steak': null,
  borscht: null,
  'cheese soup': null,
  flatbread: null,
};
const meal = join(shared, 'realphotos/meal-table');
if (existsSync(meal)) {
  const names = readFileSync(join(meal, 'data.yaml'), 'utf8')
    .match(/names:\s*\[(.*)\]/)[1]
    .split(',')
    .map((s) => s.trim().replace(/^'|'$/g, ''));
  for (const split of ['train', 'val', 'test']) {
    for (const f of readdirSync(join(meal, split, 'images'))) {
      const photo = join(meal, split, 'images', f);
      const lf = join(meal, split, 'labels', f.replace(/\.jpg$/, '.txt'));
      const { width, height } = await (await import('sharp')).default(photo).metadata();
      for (const line of readFileSync(lf, 'utf8').trim().split('\n').filter(Boolean)) {
        const [c, cx, cy, w, h] = line.split(/\s+/).map(Number);
        const name = names[c];
        if (!(name in MEAL_MAP)) continue; // plates, boards: neither menu items nor food
        const box = [
          (cx - w / 2) * width,
          (cy - h / 2) * height,
          (cx + w / 2) * width,
          (cy + h / 2) * height,
        ];
        items.push({ photo, set: 'meal-table', label: MEAL_MAP[name], what: name, box });
      }
    }
  }
} else report.skipped.push(meal);

// 4. Each labelled real item alone on a plain tray, at three sizes (tools/train/real-tray.mjs).
const { onPlainTray } = await import(join(root, 'tools/train/real-tray.mjs'));
report.onTray = { perClass: {}, rows: [] };
for (const it of items.filter((i) => i.label !== null && i.set === 'interop')) {
  for (const share of [0.3, 0.45, 0.6]) {
    const img = await onPlainTray(it.photo, it.box, share);
    const fd = await detectImage(detector, img, seq++);
    const on = fd.detections.filter(
      (d) => !NOT_FOOD.has(d.label) && (iou(d.box, img.itemBox) >= 0.3 || cover(d.box, img.itemBox) >= 0.6),
    );
    const top = on.sort((a, b) => b.score - a.score)[0];
    const c = (report.onTray.perClass[it.label] ??= { items: 0, right: 0 });
    c.items++;
    if (top?.label === it.label && !top.uncertain) c.right++;
    report.onTray.rows.push({
      photo: it.photo.split('/').pop(),
      truth: it.label,
      share,
      top: top ? `${top.label} ${top.score.toFixed(2)}${top.uncertain ? ' (uncertain)' : ''}` : '-',
    });
  }
}

const byPhoto = new Map();
for (const it of items) byPhoto.set(it.photo, [...(byPhoto.get(it.photo) ?? []), it]);
const perClass = {};
let unknown = 0;
let unknownNamed = 0;
const itemRows = [];
for (const [photo, list] of byPhoto) {
  const { detections } = await detect(photo);
  const food = detections.filter((d) => !NOT_FOOD.has(d.label));
  for (const it of list) {
    const on = food.filter((d) => iou(d.box, it.box) >= 0.3 || cover(d.box, it.box) >= 0.6);
    const top = on.sort((a, b) => b.score - a.score)[0];
    if (it.label === null) {
      unknown++;
      if (top && !top.uncertain) unknownNamed++; // "uncertain" reaches the verifier as "I don't know"
    } else {
      const c = (perClass[it.label] ??= { items: 0, right: 0 });
      c.items++;
      if (top?.label === it.label) c.right++;
    }
    itemRows.push({
      set: it.set,
      photo: photo.split('/').pop(),
      truth: it.label ?? `(not on menu: ${it.what ?? 'food'})`,
      top: top ? `${top.label} ${top.score.toFixed(2)}` : '-',
    });
  }
}
const known = Object.values(perClass).reduce(
  (s, c) => ({ items: s.items + c.items, right: s.right + c.right }),
  {
    items: 0,
    right: 0,
  },
);
report.food = {
  perClass,
  known,
  unknown: { items: unknown, namedAsMenuItem: unknownNamed },
  items: itemRows,
};
await detector.stop();

if (json) {
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
} else {
  const nf = report.nonFood;
  console.log(`model ${report.model} (sha256 ${report.sha256.slice(0, 12)})`);
  console.log(
    `non-food photos (real): ${nf.photos} photos, ${nf.food} food detections (${(nf.food / Math.max(1, nf.photos)).toFixed(2)} per photo), ${nf.tray} tray, ${nf.hand} hand`,
  );
  for (const p of nf.perPhoto)
    if (p.detections.length) console.log(`  ${p.file}: ${p.detections.join(', ')}`);
  console.log(`real menu items: top label right ${known.right}/${known.items}`);
  for (const [l, c] of Object.entries(perClass)) console.log(`  ${l.padEnd(8)} ${c.right}/${c.items}`);
  console.log(`real food not on the menu named as a menu item: ${unknownNamed}/${unknown}`);
  const tray = Object.values(report.onTray.perClass).reduce(
    (s, c) => ({ items: s.items + c.items, right: s.right + c.right }),
    { items: 0, right: 0 },
  );
  console.log(`one real item on a plain tray (3 sizes each): top label right ${tray.right}/${tray.items}`);
  for (const r of report.onTray.rows) console.log(`  ${r.photo} ${r.truth} at ${r.share}: ${r.top}`);
  if (report.skipped.length) console.log(`skipped (missing): ${report.skipped.join(', ')}`);
}
