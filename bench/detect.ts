// Detector latency: median and p95 of session.run alone and of the whole detect stage
// (letterbox + run + decode + NMS) on a 640x360 rendered tray frame, at 1 and 2 threads,
// for the shipped model (with detector.flipTest off and on) and for YOLOX-nano from
// ../shared/interop when present.
//   node dist/bench/detect.js [--json] [--iterations N] [--threads 1,2] [--model PATH]
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createDetector, detectorConfig, type DetectTimings } from '../src/detect/index.js';
import { silentLogger } from '../src/log.js';
import { projectPath } from '../src/paths.js';
import { renderScene, sceneForTray } from '../src/sim/render/index.js';
import type { Frame } from '../src/types.js';

interface Target {
  name: string;
  path: string;
  family?: 'yolox';
  /** detector.flipTest: the mirrored look as well (about twice the run time). */
  flipTest?: boolean;
}

interface Row {
  model: string;
  path: string;
  sha256: string;
  family: string;
  imgsz: [number, number];
  threads: number;
  iterations: number;
  runMs: { p50: number; p95: number };
  stageMs: { p50: number; p95: number };
  preprocessMs: { p50: number };
  decodeMs: { p50: number };
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
};
const r2 = (v: number): number => Math.round(v * 100) / 100;

async function benchOne(t: Target, threads: number, frame: Frame, iterations: number): Promise<Row> {
  const detector = createDetector({
    config: detectorConfig({ model: t.path, threads, family: t.family, flipTest: t.flipTest ?? false }),
    log: silentLogger(),
  });
  await detector.start();
  try {
    for (let i = 0; i < Math.max(5, iterations / 10); i++) await detector.detect(frame);
    const samples: DetectTimings[] = [];
    for (let i = 0; i < iterations; i++) {
      await detector.detect({ ...frame, seq: i });
      const timings = detector.lastTimings();
      if (timings) samples.push(timings);
    }
    const pick = (k: keyof DetectTimings): number[] => samples.map((s) => s[k]);
    const info = detector.info();
    return {
      model: t.name,
      path: t.path,
      sha256: info.sha256,
      family: info.family,
      imgsz: info.imgsz,
      threads,
      iterations,
      runMs: { p50: r2(quantile(pick('runMs'), 0.5)), p95: r2(quantile(pick('runMs'), 0.95)) },
      stageMs: { p50: r2(quantile(pick('totalMs'), 0.5)), p95: r2(quantile(pick('totalMs'), 0.95)) },
      preprocessMs: { p50: r2(quantile(pick('preprocessMs'), 0.5)) },
      decodeMs: { p50: r2(quantile(pick('decodeMs'), 0.5)) },
    };
  } finally {
    await detector.stop();
  }
}

function table(rows: Row[], skipped: string[]): string {
  const head = [
    'model',
    'input HxW',
    'threads',
    'run p50',
    'run p95',
    'stage p50',
    'stage p95',
    'prep p50',
    'decode p50',
  ];
  const lines = rows.map((r) => [
    r.model,
    r.imgsz.join('x'),
    String(r.threads),
    ...[r.runMs.p50, r.runMs.p95, r.stageMs.p50, r.stageMs.p95, r.preprocessMs.p50, r.decodeMs.p50].map((v) =>
      v.toFixed(2),
    ),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [
    'detect stage on a 640x360 frame, ms (run = session.run only; stage = letterbox + run + decode + NMS)',
    fmt(head),
    ...lines.map(fmt),
    ...skipped.map((s) => `skipped: ${s}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      iterations: { type: 'string', default: '50' },
      threads: { type: 'string', default: '1,2' },
      model: { type: 'string', multiple: true },
    },
  });
  const iterations = Math.max(1, Number(values.iterations));
  const threads = values.threads
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const candidates: Target[] = values.model?.length
    ? values.model.map((p) => ({ name: p.split('/').pop() ?? p, path: p }))
    : [
        { name: 'traycheck-det', path: projectPath('models', 'traycheck-det.onnx'), flipTest: false },
        {
          name: 'traycheck-det, flipTest',
          path: projectPath('models', 'traycheck-det.onnx'),
          flipTest: true,
        },
        {
          name: 'yolox-nano',
          path: projectPath('..', 'shared', 'interop', 'yolox-nano', 'yolox_nano.onnx'),
          family: 'yolox',
        },
      ];
  const skipped = candidates.filter((t) => !existsSync(t.path)).map((t) => `${t.name} (${t.path} not found)`);
  const r = await renderScene(sceneForTray({ burger: 1, fries: 1, drink: 1 }, 1));
  const frame: Frame = { cameraId: 'bench', seq: 0, ts: 0, width: r.width, height: r.height, data: r.rgb };
  const rows: Row[] = [];
  for (const t of candidates.filter((c) => existsSync(c.path)))
    for (const n of threads) rows.push(await benchOne(t, n, frame, iterations));
  if (values.json) {
    process.stdout.write(
      JSON.stringify({
        frame: `${frame.width}x${frame.height}`,
        cpus: cpus().length,
        node: process.version,
        results: rows,
        skipped,
      }) + '\n',
    );
  } else {
    process.stdout.write(table(rows, skipped) + '\n');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/detect: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
