// Snapshot rendering's memory in one process: RSS while rendering N snapshots (640×360, 1–6 boxes
// with labels, a caption, a check zone) through src/store/snapshot-image.ts, one after another.
// Compares sharp's defaults with the daemon's settings (src/imaging.ts); run each in its own
// process, since sharp's settings and libvips's warm-up are per process:
//   node dist/bench/snapshot-memory.js [--daemon-imaging] [--renders 400] [--every 25] [--json]
// Start node with the allocator environment (src/allocator.ts) to match the daemon, e.g.
//   MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 node dist/bench/snapshot-memory.js
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { configureDaemonImaging } from '../src/imaging.js';
import { renderSnapshot } from '../src/store/snapshot-image.js';
import type { Detection, Frame } from '../src/types.js';

const { values } = parseArgs({
  options: {
    'daemon-imaging': { type: 'boolean', default: false },
    renders: { type: 'string', default: '400' },
    every: { type: 'string', default: '25' },
    json: { type: 'boolean', default: false },
  },
});
const renders = Number(values.renders);
const every = Number(values.every);
if (values['daemon-imaging']) configureDaemonImaging();

const W = 640;
const H = 360;
const data = Buffer.alloc(W * H * 3);
for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 255;
const LABELS = ['burger', 'fries', 'drink', 'nuggets', 'sundae', 'salad', 'sauce', 'wrap'];
let seed = 1;
const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const mb = (): number => Math.round((process.memoryUsage().rss / 1048576) * 10) / 10;

const series: Array<[number, number]> = [[0, mb()]];
for (let i = 1; i <= renders; i++) {
  const boxes: Detection[] = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => {
    const x = rnd() * 500;
    const y = rnd() * 250;
    return {
      label: LABELS[Math.floor(rnd() * LABELS.length)] ?? 'fries',
      score: rnd(),
      box: [x, y, x + 60 + rnd() * 40, y + 40 + rnd() * 30],
    };
  });
  const frame: Frame = { cameraId: 'c', seq: i, ts: 0, width: W, height: H, data };
  await renderSnapshot(
    frame,
    {
      boxes,
      trayBox: [100, 50, 540, 330],
      caption: `T${1000 + i} · order ${2000 + i}`,
      zone: [
        [0.1, 0.1],
        [0.9, 0.1],
        [0.9, 0.9],
        [0.1, 0.9],
      ],
    },
    { zoneOnly: true, jpegQuality: 80 },
  );
  if (i % every === 0 || i === renders) series.push([i, mb()]);
}
const rssAfter25Mb = series.find(([i]) => i >= 25)?.[1] ?? NaN;
const rssEndMb = series.at(-1)?.[1] ?? NaN;
const result = {
  settings: values['daemon-imaging'] ? 'daemon (src/imaging.ts)' : 'sharp defaults',
  sharpConcurrency: sharp.concurrency(),
  renders,
  rssStartMb: series[0]?.[1],
  rssAfter25Mb,
  rssEndMb,
  growthFrom25Mb: Math.round((rssEndMb - rssAfter25Mb) * 10) / 10,
  series,
};
if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(
    `${result.settings}, ${result.sharpConcurrency} libvips thread(s): RSS ${result.rssStartMb} MB at start, ` +
      `${result.rssAfter25Mb} MB after 25 renders, ${result.rssEndMb} MB after ${renders} ` +
      `(+${result.growthFrom25Mb} MB from the 25th)\n`,
  );
}
