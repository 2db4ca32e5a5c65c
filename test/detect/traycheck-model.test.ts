// The shipped model (models/traycheck-det.onnx, trained by tools/train on our own renders),
// loaded the way the daemon loads it: family, labels and input size come from its metadata.
import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import { checkMenuLabels, createDetector, detectorConfig, type Detector } from '../../src/detect/index.js';
import { iou } from '../../src/detect/nms.js';
import { readOnnxMeta } from '../../src/detect/onnx-meta.js';
import { silentLogger } from '../../src/log.js';
import { renderScene, sceneForTray } from '../../src/sim/render/index.js';
import { readFileSync } from 'node:fs';
import { TRAYCHECK_MODEL, present } from './paths.js';

const available = present(
  TRAYCHECK_MODEL,
  'shipped-model tests (train and export it: tools/train/README.md)',
);

describe.skipIf(!available)('shipped traycheck model', () => {
  let detector: Detector;
  beforeAll(async () => {
    detector = createDetector({
      config: detectorConfig({ model: TRAYCHECK_MODEL, threads: 1 }),
      log: silentLogger(),
    });
    await detector.start();
  });
  afterAll(async () => {
    await detector?.stop();
  });

  it('is recognised from its metadata', () => {
    const meta = readOnnxMeta(readFileSync(TRAYCHECK_MODEL)).metadata;
    expect(meta).toMatchObject({
      family: 'traycheck',
      task: 'detect',
      letterbox: 'center',
      normalize: '0..1 rgb',
    });
    const info = detector.info();
    expect(info).toMatchObject({
      family: 'traycheck',
      labelsSource: 'metadata',
      imgsz: JSON.parse(meta.imgsz ?? 'null') as number[],
      version: meta.version,
    });
    expect(info.labels).toEqual(JSON.parse(meta.names ?? '[]'));
    expect(info.labels).toEqual(expect.arrayContaining(['tray', 'burger', 'fries', 'drink', 'hand']));
    const menu = {
      COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 }, verify: true },
    };
    expect(checkMenuLabels(menu, info.labels)).toEqual([]);
  });

  it('finds burger, fries and drink on rendered trays', async () => {
    for (const seed of [11, 12, 13]) {
      const r = await renderScene(sceneForTray({ burger: 1, fries: 1, drink: 1 }, seed));
      const out = await detector.detect({
        cameraId: 'sim',
        seq: seed,
        ts: seed,
        width: r.width,
        height: r.height,
        data: r.rgb,
      });
      for (const truth of r.labels.filter((l) => ['burger', 'fries', 'drink'].includes(l.label))) {
        const hit = out.detections.find((d) => d.label === truth.label && iou(d.box, truth.box) >= 0.5);
        expect(
          hit,
          `seed ${seed}: ${truth.label} at [${truth.box.map(Math.round).join(', ')}] not found in ${JSON.stringify(out.detections)}`,
        ).toBeDefined();
      }
      expect(
        r.labels.filter((l) => ['burger', 'fries', 'drink'].includes(l.label)).length,
        `seed ${seed}: renderer hid an item`,
      ).toBe(3);
    }
  });

  it('answers frames given together in order, each as if given alone', async () => {
    const renders = await Promise.all(
      [21, 22, 23, 24].map((seed) =>
        renderScene(sceneForTray({ burger: 1, fries: seed % 2, drink: 1 }, seed)),
      ),
    );
    const frames = renders.map((r, i) => ({
      cameraId: 'sim',
      seq: i,
      ts: i,
      width: r.width,
      height: r.height,
      data: r.rgb,
    }));
    const alone = [];
    for (const f of frames) alone.push(await detector.detect(f));
    const together = await Promise.all(frames.map((f) => detector.detect(f)));
    expect(together.map((d) => d.seq)).toEqual([0, 1, 2, 3]);
    expect(together.map((d) => d.detections)).toEqual(alone.map((d) => d.detections));
    expect(alone.some((d) => d.detections.length > 0)).toBe(true);
  });

  it('leaves this thread free while the model runs', async () => {
    const r = await renderScene(sceneForTray({ burger: 1, fries: 1, drink: 1 }, 31));
    // Inference on this thread would block it for the whole run: at most one check-in would
    // come before the result. In the worker thread, this thread keeps turning.
    let turns = 0;
    let done = false;
    const spin = (): void => {
      if (done) return;
      turns++;
      setImmediate(spin);
    };
    // Post the frame from a check-phase callback, so the loop is at a known place when it goes
    // (once, in a full suite run, no turn at all came before the reply; the cause is not proven).
    await new Promise<void>((resolve) => setImmediate(resolve));
    setImmediate(spin);
    const out = await detector.detect({
      cameraId: 'sim',
      seq: 0,
      ts: 0,
      width: r.width,
      height: r.height,
      data: r.rgb,
    });
    done = true;
    expect(out.detections.length).toBeGreaterThan(0);
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('detector.flipTest: a mirrored frame gives the mirrored detections, each look averaged in', async () => {
    const flip = createDetector({
      config: detectorConfig({ model: TRAYCHECK_MODEL, threads: 1, flipTest: true }),
      log: silentLogger(),
    });
    const plainLook = createDetector({
      config: detectorConfig({ model: TRAYCHECK_MODEL, threads: 1, flipTest: false }),
      log: silentLogger(),
    });
    await flip.start();
    await plainLook.start();
    try {
      expect(flip.info().flipTest).toBe(true);
      expect(plainLook.info().flipTest).toBe(false);
      expect(detector.info().flipTest, "the default, 'auto', is on for our own model").toBe(true);
      for (const seed of [61, 62]) {
        const r = await renderScene(
          sceneForTray({ burger: 2, fries: 2, wrap: 1, nuggets: 1, drink: 1, sauce: 2 }, seed),
        );
        const { width: w, height: h } = r;
        const mirrored = Buffer.alloc(r.rgb.length);
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++)
            r.rgb.copy(mirrored, (y * w + x) * 3, (y * w + w - 1 - x) * 3, (y * w + w - x) * 3);
        const frame = { cameraId: 'sim', seq: seed, ts: seed, width: w, height: h, data: r.rgb };
        const a = (await flip.detect(frame)).detections;
        const b = (await flip.detect({ ...frame, data: mirrored })).detections;
        const plain = (await plainLook.detect(frame)).detections;
        expect(a.length, `seed ${seed}`).toBeGreaterThanOrEqual(8);
        expect(b).toHaveLength(a.length);
        for (const d of a) {
          const back: typeof d.box = [w - d.box[2], d.box[1], w - d.box[0], d.box[3]];
          const twin = b.find((e) => e.label === d.label && iou(e.box, back) >= 0.95);
          expect(
            twin,
            `seed ${seed}: ${d.label} ${d.score} at [${d.box.map(Math.round).join(', ')}]`,
          ).toBeDefined();
          expect(Math.abs((twin?.score ?? 0) - d.score)).toBeLessThan(0.01);
        }
        // the scores are the two looks' mean, not the plain look's
        const moved = a.filter((d) => {
          const p = plain.find((e) => e.label === d.label && iou(e.box, d.box) >= 0.5);
          return !p || Math.abs(p.score - d.score) > 0.005;
        });
        expect(moved.length, `seed ${seed}`).toBeGreaterThan(0);
      }
    } finally {
      await flip.stop();
      await plainLook.stop();
    }
  });

  it('passes faint candidates apart (detector.faintScore): never counted, the counted ones unchanged', async () => {
    const off = createDetector({
      config: detectorConfig({ model: TRAYCHECK_MODEL, threads: 1, faintScore: 0 }),
      log: silentLogger(),
    });
    await off.start();
    try {
      let faintSeen = 0;
      // Crowded trays (ten items): what a half-hidden item looks like to the model.
      for (const seed of [41, 42, 43]) {
        const r = await renderScene(
          sceneForTray({ burger: 2, fries: 2, wrap: 2, nuggets: 1, drink: 1, sauce: 2 }, seed),
        );
        const frame = { cameraId: 'sim', seq: seed, ts: seed, width: r.width, height: r.height, data: r.rgb };
        const on = await detector.detect(frame);
        const without = await off.detect(frame);
        expect(on.detections).toEqual(without.detections);
        expect(without.faint).toBeUndefined();
        for (const f of on.faint ?? []) {
          expect(f.score, `${f.label} ${f.score}`).toBeLessThan(0.4);
          expect(f.score).toBeGreaterThanOrEqual(0.1);
          faintSeen++;
        }
      }
      expect(faintSeen, 'no faint candidate on three crowded trays').toBeGreaterThan(0);
    } finally {
      await off.stop();
    }
  });
});
