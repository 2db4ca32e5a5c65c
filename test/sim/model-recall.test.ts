// The shipped model against fresh renders from a seed range neither training (1..1e4) nor the
// held-out test set (1e9+) used, through the real detector stage (letterbox, decode, NMS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector, detectorConfig, type Detector } from '../../src/detect/index.js';
import { silentLogger } from '../../src/log.js';
import { CLASSES, randomScene, renderScene, sceneForTray, type Scene } from '../../src/sim/render/index.js';
import type { Box, Detection } from '../../src/types.js';

const FRESH_SEEDS = 2_000_000_000;
let detector: Detector;

beforeAll(async () => {
  detector = createDetector({
    config: detectorConfig({ model: 'models/traycheck-det.onnx', threads: 2 }),
    log: silentLogger(),
  });
  await detector.start();
});
afterAll(async () => {
  await detector.stop();
});

function iou(a: Box, b: Box): number {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

async function detectScene(
  scene: Scene,
  seq: number,
): Promise<{ truth: Array<{ label: string; box: Box }>; found: Detection[] }> {
  const frame = await renderScene(scene);
  const out = await detector.detect({
    cameraId: 'sim',
    seq,
    ts: seq * 200,
    width: frame.width,
    height: frame.height,
    data: frame.rgb,
  });
  return { truth: frame.labels, found: out.detections };
}

describe('shipped model on fresh renders', () => {
  it('finds every class with recall >= 0.85 and precision >= 0.85 at IoU 0.5', async () => {
    const hits: Record<string, number> = {};
    const totals: Record<string, number> = {};
    let falsePositives = 0;
    let detections = 0;
    for (let i = 0; i < 40; i++) {
      const { truth, found } = await detectScene(randomScene(FRESH_SEEDS + i), i);
      const used = new Set<Detection>();
      for (const t of truth) {
        totals[t.label] = (totals[t.label] ?? 0) + 1;
        let best: Detection | null = null;
        for (const d of found)
          if (
            d.label === t.label &&
            !used.has(d) &&
            iou(d.box, t.box) >= 0.5 &&
            (!best || d.score > best.score)
          )
            best = d;
        if (best) {
          used.add(best);
          hits[t.label] = (hits[t.label] ?? 0) + 1;
        }
      }
      detections += found.length;
      falsePositives += found.length - used.size;
    }
    const recall = Object.fromEntries(Object.entries(totals).map(([l, n]) => [l, (hits[l] ?? 0) / n]));
    for (const label of CLASSES) {
      if ((totals[label] ?? 0) < 5) continue;
      expect(recall[label], `${label} recall (${hits[label] ?? 0}/${totals[label]})`).toBeGreaterThanOrEqual(
        0.85,
      );
    }
    expect(Object.keys(totals).length).toBeGreaterThanOrEqual(8);
    expect(1 - falsePositives / Math.max(1, detections), 'precision').toBeGreaterThanOrEqual(0.85);
  });

  it('counts the items of ordered trays exactly on most frames', async () => {
    const orders: Array<Record<string, number>> = [
      { burger: 1, fries: 1, drink: 1 },
      { nuggets: 1, sauce: 2, drink: 1 },
      { wrap: 1, salad: 1, drink: 1 },
      { burger: 2, fries: 2, drink: 2 },
      { dessert: 1, drink: 1 },
      { burger: 1, nuggets: 1, fries: 1, sauce: 1, dessert: 1 },
      { salad: 1, wrap: 1, sauce: 1 },
      { fries: 1 },
    ];
    let exact = 0;
    for (const [i, items] of orders.entries()) {
      const { found } = await detectScene(sceneForTray(items, FRESH_SEEDS + 500 + i), 100 + i);
      const counts: Record<string, number> = {};
      for (const d of found)
        if (d.label !== 'tray' && d.label !== 'hand') counts[d.label] = (counts[d.label] ?? 0) + 1;
      if (JSON.stringify(Object.entries(counts).sort()) === JSON.stringify(Object.entries(items).sort()))
        exact++;
      expect(found.filter((d) => d.label === 'tray')).toHaveLength(1);
    }
    expect(exact).toBeGreaterThanOrEqual(orders.length - 1);
  });
});
