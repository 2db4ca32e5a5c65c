// Evaluates an ONNX detector (our output contract: [1,N,4+nc], boxes in input pixels,
// sigmoid scores) on a YOLO-txt split: per-class AP@0.5, recall at --conf, and latency.
// Usage: node tools/train/eval.mjs --model models/traycheck-det.onnx --data DIR [--split test]
//        [--conf 0.25] [--nms 0.5] [--threads 2] [--limit N] [--json out.json] [--imgsz HxW]
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const modelPath = arg('--model', 'models/traycheck-det.onnx');
const data = arg('--data');
const split = arg('--split', 'test');
const conf = Number(arg('--conf', '0.25'));
const nmsIou = Number(arg('--nms', '0.5'));
const threads = Number(arg('--threads', '2'));
const limit = Number(arg('--limit', '1000000'));
if (!data) {
  console.error('usage: eval.mjs --model M --data DIR [--split test]');
  process.exit(2);
}
const names = readFileSync(join(data, 'classes.txt'), 'utf8').trim().split('\n');
const nc = names.length;
const session = await ort.InferenceSession.create(modelPath, {
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
});
// The input size: --imgsz HxW, else the model's own imgsz metadata (npx tsc first), else 224x384.
const dist = (f) => new URL(`../../dist/src/detect/${f}`, import.meta.url).href;
const { readOnnxMeta } = await import(dist('onnx-meta.js'));
const { parseImgsz } = await import(dist('labels.js'));
const [H, W] = arg('--imgsz')?.split('x').map(Number) ??
  parseImgsz(readOnnxMeta(readFileSync(modelPath)).metadata.imgsz) ?? [224, 384];

const iou = (a, b) => {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const i = iw * ih;
  return i / Math.max(1e-9, (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - i);
};

function detect(out, n) {
  const byClass = Array.from({ length: nc }, () => []);
  for (let k = 0; k < n; k++) {
    const o = k * (4 + nc);
    for (let c = 0; c < nc; c++) {
      const s = out[o + 4 + c];
      if (s > 0.05) byClass[c].push({ c, s, box: [out[o], out[o + 1], out[o + 2], out[o + 3]] });
    }
  }
  const dets = [];
  for (const list of byClass) {
    list.sort((a, b) => b.s - a.s);
    const kept = [];
    for (const d of list.slice(0, 300)) if (kept.every((k) => iou(k.box, d.box) < nmsIou)) kept.push(d);
    dets.push(...kept);
  }
  return dets;
}

const dir = join(data, 'images', split);
const files = readdirSync(dir)
  .filter((f) => /\.(jpe?g|png)$/i.test(f))
  .sort()
  .slice(0, limit);
const records = Array.from({ length: nc }, () => []);
const npos = new Array(nc).fill(0);
const times = [];
for (const f of files) {
  const img = sharp(join(dir, f)).removeAlpha();
  const meta = await sharp(join(dir, f)).metadata();
  const s = Math.min(W / meta.width, H / meta.height);
  const nw = Math.round(meta.width * s);
  const nh = Math.round(meta.height * s);
  const left = Math.floor((W - nw) / 2);
  const top = Math.floor((H - nh) / 2);
  const raw = await img
    .resize(nw, nh, { fit: 'fill' })
    .extend({ left, top, right: W - nw - left, bottom: H - nh - top, background: { r: 114, g: 114, b: 114 } })
    .raw()
    .toBuffer();
  const x = new Float32Array(3 * H * W);
  for (let p = 0; p < H * W; p++) for (let c = 0; c < 3; c++) x[c * H * W + p] = raw[p * 3 + c] / 255;
  const t0 = performance.now();
  const res = await session.run({ images: new ort.Tensor('float32', x, [1, 3, H, W]) });
  times.push(performance.now() - t0);
  const out = res.output;
  const dets = detect(out.data, out.dims[1]);
  const lf = join(data, 'labels', split, `${basename(f, extname(f))}.txt`);
  const gts = existsSync(lf)
    ? readFileSync(lf, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [c, cx, cy, bw, bh] = l.split(/\s+/).map(Number);
          return {
            c,
            box: [
              left + (cx - bw / 2) * meta.width * s,
              top + (cy - bh / 2) * meta.height * s,
              left + (cx + bw / 2) * meta.width * s,
              top + (cy + bh / 2) * meta.height * s,
            ],
          };
        })
    : [];
  for (let c = 0; c < nc; c++) {
    const g = gts.filter((o) => o.c === c);
    npos[c] += g.length;
    const used = new Array(g.length).fill(false);
    for (const d of dets.filter((d) => d.c === c).sort((a, b) => b.s - a.s)) {
      let best = -1;
      let bi = 0;
      g.forEach((o, j) => {
        const v = iou(o.box, d.box);
        if (v > bi) {
          bi = v;
          best = j;
        }
      });
      const tp = bi >= 0.5 && !used[best];
      if (tp) used[best] = true;
      records[c].push([d.s, tp ? 1 : 0]);
    }
  }
}
const perClass = {};
for (let c = 0; c < nc; c++) {
  const r = records[c].sort((a, b) => b[0] - a[0]);
  let tp = 0;
  const rec = [];
  const prec = [];
  r.forEach(([, t], i) => {
    tp += t;
    rec.push(tp / Math.max(1, npos[c]));
    prec.push(tp / (i + 1));
  });
  const mrec = [0, ...rec, 1];
  const mpre = [0, ...prec, 0];
  for (let i = mpre.length - 2; i >= 0; i--) mpre[i] = Math.max(mpre[i], mpre[i + 1]);
  let ap = 0;
  for (let i = 1; i < mrec.length; i++) if (mrec[i] !== mrec[i - 1]) ap += (mrec[i] - mrec[i - 1]) * mpre[i];
  const tpAt = r.filter(([s, t]) => s >= conf && t).length;
  const fpAt = r.filter(([s, t]) => s >= conf && !t).length;
  perClass[names[c]] = {
    n: npos[c],
    ap50: +ap.toFixed(4),
    recall: +(tpAt / Math.max(1, npos[c])).toFixed(4),
    precision: +(tpAt / Math.max(1, tpAt + fpAt)).toFixed(4),
  };
}
times.sort((a, b) => a - b);
const valid = Object.values(perClass).filter((v) => v.n > 0);
const summary = {
  model: modelPath,
  split,
  images: files.length,
  conf,
  nms: nmsIou,
  map50: +(valid.reduce((a, v) => a + v.ap50, 0) / valid.length).toFixed(4),
  perClass,
  inferenceMs: {
    median: +times[Math.floor(times.length / 2)].toFixed(2),
    p90: +times[Math.floor(times.length * 0.9)].toFixed(2),
    threads,
  },
};
console.log('class      n     AP@0.5  recall  precision');
for (const [k, v] of Object.entries(perClass))
  console.log(
    `${k.padEnd(9)} ${String(v.n).padStart(5)}  ${v.ap50.toFixed(3)}   ${v.recall.toFixed(3)}   ${v.precision.toFixed(3)}`,
  );
console.log(
  `mAP@0.5 ${summary.map50}  inference median ${summary.inferenceMs.median} ms (p90 ${summary.inferenceMs.p90}) at ${threads} threads, ${files.length} images`,
);
const jsonOut = arg('--json');
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(summary, null, 2)}\n`);
