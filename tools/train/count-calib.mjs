// What the tray stage's count rules rest on, measured per frame on a rendered dataset (synthetic):
//   - counted detections (at or over their threshold) matched to the renderer's labels (IoU ≥ 0.5),
//     per label and score band: real items against boxes on nothing, duplicates or another item;
//     the renderer's items that no counted box found;
//   - faint candidates (detector.faintScore up to the threshold): how often one is an item that
//     no counted box found (a hidden item, IoU ≥ 0.3 with it) against another item's runner-up
//     label, split by whether one counted item covers half of it (tray.faintMaxCover);
//   - straddling boxes (tray.straddleCover): a counted box with two or more stronger counted boxes
//     of its label, by how much of it their union covers, real items against the rest.
// Usage (after `npx tsc`), on frames no model trained on:
//   node dist/src/cli/main.js dataset --out /tmp/hard-cal --count 800 --seed 700001 --val 0 --difficulty hard
//   node tools/train/count-calib.mjs --data /tmp/hard-cal [--split train] [--model M] [--no-flip] [--bands 0.4,0.5,...] [--json]
// --no-flip: detector.flipTest off (the plain look only; the default 'auto' averages the mirrored look in).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sharp = createRequire(join(root, 'package.json'))('sharp');
const { createDetector } = await import(join(root, 'dist/src/detect/detector.js'));
const { detectorConfig } = await import(join(root, 'dist/src/detect/defaults.js'));
const { iou } = await import(join(root, 'dist/src/detect/nms.js'));
const { coveredShare } = await import(join(root, 'dist/src/tray/geometry.js'));
const { straddleCover } = await import(join(root, 'dist/src/tray/straddle.js'));
const { silentLogger } = await import(join(root, 'dist/src/log.js'));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const dataDir = arg('--data');
if (!dataDir) {
  console.error(
    'usage: node tools/train/count-calib.mjs --data DATASET_DIR [--split train] [--model M] [--json]',
  );
  process.exit(64);
}
const split = arg('--split', 'train');
const modelPath = resolve(arg('--model', join(root, 'models/traycheck-det.onnx')));
const COVER = 0.5; // tray.faintMaxCover (example config)
const BANDS = arg('--bands', '0.4,0.5,0.6,0.7,0.8').split(',').map(Number).concat(1.01);
const FAINT_BANDS = [0.1, 0.2, 0.3, 0.4];
const STRADDLE_BANDS = [0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.01];
const notItem = (label) => label === 'tray' || label === 'hand';
/** Index of the band [bands[i], bands[i + 1]) holding v (the last band is open above). */
const bandOf = (bands, v) => bands.findIndex((b, i) => v >= b && v < (bands[i + 1] ?? Infinity));

const flipTest = process.argv.includes('--no-flip') ? false : 'auto';
const det = createDetector({ config: detectorConfig({ model: modelPath, flipTest }), log: silentLogger() });
await det.start();
const names = readFileSync(join(dataDir, 'classes.txt'), 'utf8').trim().split('\n');
const files = readdirSync(join(dataDir, 'images', split))
  .filter((f) => f.endsWith('.jpg'))
  .sort();

const counted = {}; // label -> band -> { real, not }
const missed = {}; // label -> n
const faint = { covered: {}, clear: {} }; // band -> { hidden, other }
const flagged = {}; // band -> { same, rival, otherItem, nothing, noRival }
const straddle = {}; // cover band -> { real, not }
let items = 0;
for (const f of files) {
  const { data, info } = await sharp(join(dataDir, 'images', split, f))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const W = info.width;
  const H = info.height;
  const truth = readFileSync(join(dataDir, 'labels', split, f.replace(/\.jpg$/, '.txt')), 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [c, cx, cy, bw, bh] = l.split(' ').map(Number);
      const box = [(cx - bw / 2) * W, (cy - bh / 2) * H, (cx + bw / 2) * W, (cy + bh / 2) * H];
      return { label: names[c], box, found: false };
    })
    .filter((t) => !notItem(t.label));
  items += truth.length;
  const fd = await det.detect({
    cameraId: 'calib',
    seq: 0,
    ts: 0,
    width: W,
    height: H,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  });
  const mine = fd.detections.filter((d) => !notItem(d.label));
  for (const d of mine) {
    const m = truth
      .filter((t) => !t.found && t.label === d.label)
      .map((t) => ({ t, v: iou(t.box, d.box) }))
      .sort((a, b) => b.v - a.v)[0];
    const real = Boolean(m && m.v >= 0.5);
    if (real) m.t.found = true;
    const band = bandOf(BANDS, d.score);
    const cell = ((counted[d.label] ??= {})[band] ??= { real: 0, not: 0 });
    cell[real ? 'real' : 'not']++;
    const cover = straddleCover(d, mine);
    if (cover !== null)
      (straddle[bandOf(STRADDLE_BANDS, cover)] ??= { real: 0, not: 0 })[real ? 'real' : 'not']++;
    if (d.uncertain) {
      const f = (flagged[band] ??= { same: 0, rival: 0, otherItem: 0, nothing: 0, noRival: 0 });
      if (!d.rival) f.noRival++;
      const other = truth.filter((t) => t.label !== d.label && iou(t.box, d.box) >= 0.5);
      if (real) f.same++;
      else if (other.some((t) => t.label === d.rival)) f.rival++;
      else if (other.length) f.otherItem++;
      else f.nothing++;
    }
  }
  for (const t of truth) if (!t.found) missed[t.label] = (missed[t.label] ?? 0) + 1;
  for (const d of fd.faint ?? []) {
    if (notItem(d.label)) continue;
    const hidden = truth.some((t) => !t.found && t.label === d.label && iou(t.box, d.box) >= 0.3);
    const covered = mine.some((c) => coveredShare(d.box, c.box) >= COVER);
    const band = bandOf(FAINT_BANDS, d.score);
    const cell = ((covered ? faint.covered : faint.clear)[band] ??= { hidden: 0, other: 0 });
    cell[hidden ? 'hidden' : 'other']++;
  }
}
await det.stop();

const sum = (o, k) =>
  Object.values(o).reduce((a, band) => a + Object.values(band).reduce((x, c) => x + c[k], 0), 0);
const report = {
  model: modelPath,
  data: resolve(dataDir),
  frames: files.length,
  items,
  counted: { real: sum(counted, 'real'), notAnItem: sum(counted, 'not'), byLabelAndBand: counted },
  missed: { total: Object.values(missed).reduce((a, b) => a + b, 0), byLabel: missed },
  faint,
  flagged,
  straddle,
  bands: { counted: BANDS, faint: FAINT_BANDS, faintCover: COVER, straddleCover: STRADDLE_BANDS },
};
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(`model ${modelPath}`);
  console.log(`${files.length} frames (synthetic), ${items} items`);
  console.log(
    `counted boxes: ${report.counted.real} real, ${report.counted.notAnItem} on nothing / a duplicate / another item; items not found: ${report.missed.total}`,
  );
  const head = BANDS.slice(0, -1).map(
    (b, i) => `${b.toFixed(2)}-${(BANDS[i + 1] >= 1 ? 1 : BANDS[i + 1]).toFixed(2)}`,
  );
  console.log(`counted, real/not by score: ${head.join('  ')}`);
  for (const label of Object.keys(counted).sort())
    console.log(
      `  ${label.padEnd(8)} ${head.map((_, i) => `${counted[label][i]?.real ?? 0}/${counted[label][i]?.not ?? 0}`.padEnd(8)).join(' ')}`,
    );
  console.log(`items not found by label: ${JSON.stringify(missed)}`);
  for (const kind of ['clear', 'covered'])
    console.log(
      `faint, ${kind === 'covered' ? `covered >= ${COVER} by one counted item` : 'not covered'}, hidden/other by score: ` +
        FAINT_BANDS.slice(0, -1)
          .map(
            (b, i) =>
              `${b}-${FAINT_BANDS[i + 1]}: ${faint[kind][i]?.hidden ?? 0}/${faint[kind][i]?.other ?? 0}`,
          )
          .join('  '),
    );
  console.log(
    'flagged uncertain (counted): the item named / its rival / another item / nothing [no rival named] by score:',
  );
  for (const [i, h] of head.entries()) {
    const f = flagged[i];
    if (f) console.log(`  ${h}: ${f.same} / ${f.rival} / ${f.otherItem} / ${f.nothing} [${f.noRival}]`);
  }
  console.log(
    'straddling (two or more stronger boxes of its label), real/not by the share of it they cover: ' +
      STRADDLE_BANDS.slice(0, -1)
        .map(
          (b, i) =>
            `${b}-${Math.min(1, STRADDLE_BANDS[i + 1])}: ${straddle[i]?.real ?? 0}/${straddle[i]?.not ?? 0}`,
        )
        .join('  '),
  );
}
