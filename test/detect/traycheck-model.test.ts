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
});
