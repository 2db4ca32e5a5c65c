// Packs a YOLO-txt dataset (images/<split>/*.jpg|png, labels/<split>/*.txt) into one raw
// uint8 file per split, letterboxed (centred, pad 114) to the model input, for train.py.
// Usage: node tools/train/pack.mjs --data DIR --out DIR [--imgsz 224x384] [--splits train,val,test]
import {
  existsSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync,
  mkdirSync,
} from 'node:fs';
import { join, extname, basename } from 'node:path';
import sharp from 'sharp';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const data = arg('--data');
const out = arg('--out');
if (!data || !out) {
  console.error('usage: pack.mjs --data DIR --out DIR [--imgsz HxW] [--splits train,val,test]');
  process.exit(2);
}
const [H, W] = arg('--imgsz', '224x384').split('x').map(Number);
const splits = arg('--splits', 'train,val,test').split(',');
mkdirSync(out, { recursive: true });

sharp.concurrency(2);
for (const split of splits) {
  const dir = join(data, 'images', split);
  if (!existsSync(dir)) continue;
  const files = readdirSync(dir)
    .filter((f) => ['.jpg', '.jpeg', '.png'].includes(extname(f).toLowerCase()))
    .sort();
  const fd = openSync(join(out, `${split}.u8`), 'w');
  const boxes = [];
  let i = 0;
  for (const f of files) {
    const img = sharp(join(dir, f)).rotate().removeAlpha();
    const meta = await sharp(join(dir, f)).rotate().metadata();
    const w0 = meta.autoOrient?.width ?? meta.width;
    const h0 = meta.autoOrient?.height ?? meta.height;
    const s = Math.min(W / w0, H / h0);
    const nw = Math.round(w0 * s);
    const nh = Math.round(h0 * s);
    const left = Math.floor((W - nw) / 2);
    const top = Math.floor((H - nh) / 2);
    const raw = await img
      .resize(nw, nh, { fit: 'fill' })
      .extend({
        left,
        top,
        right: W - nw - left,
        bottom: H - nh - top,
        background: { r: 114, g: 114, b: 114 },
      })
      .raw()
      .toBuffer();
    if (raw.length !== W * H * 3) throw new Error(`${f}: packed ${raw.length} bytes`);
    writeSync(fd, raw);
    const lf = join(data, 'labels', split, `${basename(f, extname(f))}.txt`);
    const objs = existsSync(lf)
      ? readFileSync(lf, 'utf8')
          .split('\n')
          .map((l) => l.trim().split(/\s+/).map(Number))
          .filter((v) => v.length === 5 && v.every(Number.isFinite))
          .map(([c, cx, cy, bw, bh]) =>
            [
              c,
              left + (cx - bw / 2) * w0 * s,
              top + (cy - bh / 2) * h0 * s,
              left + (cx + bw / 2) * w0 * s,
              top + (cy + bh / 2) * h0 * s,
            ].map((v) => Math.round(v * 100) / 100),
          )
      : [];
    boxes.push(objs);
    if (++i % 500 === 0) process.stderr.write(`${split}: ${i}/${files.length}\n`);
  }
  closeSync(fd);
  const classesFile = join(data, 'classes.txt');
  const names = existsSync(classesFile)
    ? readFileSync(classesFile, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
    : null;
  writeFileSync(
    join(out, `${split}.json`),
    JSON.stringify({ imgsz: [H, W], names, count: files.length, files, boxes }),
  );
  process.stderr.write(`${split}: packed ${files.length} images\n`);
}
