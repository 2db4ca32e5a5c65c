// A real, independently trained detector on real photographs: YOLOX-nano (COCO) from
// ../shared/interop, reference detections from its README (score ≥ 0.30, class-wise NMS 0.45).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDetectCommand } from '../../src/cli/commands/detect.js';
import { decodeImage, detectImage } from '../../src/detect/image.js';
import { createDetector, detectorConfig, type Detector } from '../../src/detect/index.js';
import { clipBox, iou } from '../../src/detect/nms.js';
import { silentLogger } from '../../src/log.js';
import type { Box, Detection } from '../../src/types.js';
import { COCO_LABELS, INTEROP, PHOTOS, YOLOX_MODEL, present } from './paths.js';

interface Reference {
  photo: string;
  width: number;
  height: number;
  rows: Detection[];
}

/** The reference table of ../shared/interop/README.md, parsed (never copied into the repo). */
function readReferences(): Reference[] {
  const text = readFileSync(join(INTEROP, 'README.md'), 'utf8');
  const refs: Reference[] = [];
  for (const line of text.split('\n')) {
    const m = /^\|\s*(\S+\.jpg)\s*\|\s*(\d+)×(\d+)\s*\|(.*)\|\s*$/.exec(line);
    if (!m) continue;
    const rows = (m[4] as string).split(';').map((cell) => {
      const r = /^\s*(.+?)\s+([\d.]+)\s+\[(-?\d+),\s*(-?\d+),\s*(-?\d+),\s*(-?\d+)\]\s*$/.exec(cell);
      if (!r) throw new Error(`cannot parse reference "${cell}"`);
      return {
        label: r[1] as string,
        score: Number(r[2]),
        box: [3, 4, 5, 6].map((i) => Number(r[i])) as Box,
      };
    });
    const width = Number(m[2]);
    const height = Number(m[3]);
    // The reference boxes are not clipped ([-1, 339, 613, 416] on a 612×408 photo); ours are, by contract.
    for (const row of rows) row.box = clipBox(row.box, width, height) ?? row.box;
    refs.push({ photo: m[1] as string, width, height, rows });
  }
  return refs;
}

const SCORE_TOL = 0.03;
const edgeTol = (ref: Reference, edge: number): number =>
  Math.max(8, 0.02 * (edge % 2 === 0 ? ref.width : ref.height));

function matches(d: Detection, row: Detection, ref: Reference): boolean {
  return (
    d.label === row.label &&
    Math.abs(d.score - row.score) <= SCORE_TOL &&
    d.box.every((v, i) => Math.abs(v - (row.box[i] as number)) <= edgeTol(ref, i))
  );
}

const available = present(YOLOX_MODEL, 'YOLOX interop tests') && present(PHOTOS, 'YOLOX interop tests');

describe.skipIf(!available)('YOLOX-nano interop on real photos', () => {
  let detector: Detector;
  const refs = available ? readReferences() : [];

  beforeAll(async () => {
    detector = createDetector({
      config: detectorConfig({
        model: YOLOX_MODEL,
        labelsFile: COCO_LABELS,
        scoreThreshold: 0.3,
        nmsIou: 0.45,
        threads: 1,
      }),
      log: silentLogger(),
    });
    await detector.start();
  });
  afterAll(async () => {
    await detector?.stop();
  });

  it('identifies the model from its shape (no metadata) and reads the fixture table', () => {
    expect(detector.info()).toMatchObject({
      family: 'yolox',
      imgsz: [416, 416],
      outputDims: [1, 3549, 85],
      labelsSource: 'file',
      sha256: 'e8af074932d4ed7e232278e3055cefcdea3edf178874a3694ae292649fb464dd',
      flipTest: false, // detector.flipTest 'auto' (the default) is for our own model only
    });
    expect(refs.map((r) => r.photo).sort()).toEqual(
      readdirSync(PHOTOS)
        .filter((f) => f.endsWith('.jpg'))
        .sort(),
    );
    expect(refs.reduce((n, r) => n + r.rows.length, 0)).toBe(16);
  });

  it('reproduces every reference row and finds nothing else above 0.30', async () => {
    for (const ref of refs) {
      const img = await decodeImage(join(PHOTOS, ref.photo));
      expect([img.width, img.height]).toEqual([ref.width, ref.height]);
      const { detections } = await detectImage(detector, img);
      const unmatched = [...detections];
      for (const row of ref.rows) {
        const i = unmatched.findIndex((d) => matches(d, row, ref));
        expect(
          i,
          `${ref.photo}: no detection matches ${row.label} ${row.score} [${row.box.join(', ')}]; got ${JSON.stringify(detections)}`,
        ).toBeGreaterThanOrEqual(0);
        unmatched.splice(i, 1);
      }
      expect(unmatched, `${ref.photo}: detections beyond the reference`).toEqual([]);
    }
  });

  it('finds the confident objects on full-size frames too (daemon path: plain bilinear letterbox)', async () => {
    for (const ref of refs) {
      const img = await decodeImage(join(PHOTOS, ref.photo));
      const { detections } = await detector.detect({
        cameraId: 'photo',
        seq: 0,
        ts: 0,
        width: img.width,
        height: img.height,
        data: img.rgb,
      });
      for (const row of ref.rows.filter((r) => r.score >= 0.5)) {
        const found = detections.some(
          (d) =>
            d.label === row.label && Math.abs(d.score - row.score) <= 0.06 && iou(d.box, row.box) >= 0.85,
        );
        expect(
          found,
          `${ref.photo}: ${row.label} ${row.score} not found in ${JSON.stringify(detections)}`,
        ).toBe(true);
      }
    }
  });

  it('traycheck detect prints JSON and writes annotated JPEGs', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'traycheck-annotate-'));
    try {
      const out = new PassThrough();
      let text = '';
      out.on('data', (c: Buffer) => (text += c.toString()));
      const photo = join(PHOTOS, 'yolox_dog.jpg');
      const code = await runDetectCommand(
        {
          model: YOLOX_MODEL,
          labels: COCO_LABELS,
          threshold: 0.3,
          images: [photo],
          json: true,
          annotate: outDir,
        },
        out,
      );
      expect(code).toBe(0);
      const parsed = JSON.parse(text) as {
        model: { family: string };
        images: Array<{ detections: Detection[]; annotated: string }>;
      };
      expect(parsed.model.family).toBe('yolox');
      expect(parsed.images[0]?.detections.map((d) => d.label).sort()).toEqual(['bicycle', 'car', 'dog']);
      const meta = await sharp(parsed.images[0]?.annotated).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 768, 576]);

      const table = new PassThrough();
      let tableText = '';
      table.on('data', (c: Buffer) => (tableText += c.toString()));
      expect(
        await runDetectCommand(
          {
            model: YOLOX_MODEL,
            labels: COCO_LABELS,
            threshold: 0.3,
            images: [photo, join(outDir, 'missing.jpg')],
            json: false,
          },
          table,
        ),
      ).toBe(1);
      expect(tableText).toMatch(/yolox_dog\.jpg\s+768x576\s+3 detection\(s\)/);
      expect(tableText).toMatch(/dog\s+0\.85\s+\[\s*13\d\s+20\d\s+32\d\s+54\d\]/);
      expect(tableText).toMatch(/missing\.jpg: error:/);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
