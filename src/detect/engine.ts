// The worker thread's half of detection: a letterboxed input → session.run → decode →
// class-wise NMS → frame pixels. The letterbox itself is done on the daemon's thread
// (detector.ts), so it overlaps the previous frame's inference.
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import type { DetectorConfig } from '../config/schema.js';
import type { Detection } from '../types.js';
import type { LetterboxGeometry } from './letterbox.js';
import { averageMirrored, mirrorIndex, mirrorInput } from './flip.js';
import { SECOND_OPINION_OUTPUT, type LoadedModel } from './model.js';
import { postprocessAll } from './postprocess.js';
import { applySecondOpinion, decodeCoco } from './second-opinion.js';

/** Milliseconds spent in each part of one detection. */
export interface DetectTimings {
  preprocessMs: number;
  runMs: number;
  decodeMs: number;
  totalMs: number;
}

export interface Engine {
  /** `input` is [1, 3, H, W] as the model takes it; `geometry` maps boxes back to the frame. */
  run(
    input: Float32Array,
    geometry: LetterboxGeometry,
  ): Promise<{ detections: Detection[]; faint: Detection[]; runMs: number; decodeMs: number }>;
}

/** Score threshold per class id: the class's own (menu label or model label) or the global one. */
export function classThresholds(config: DetectorConfig, model: LoadedModel): Float32Array {
  const { labels, modelLabels } = model.info;
  return Float32Array.from(
    labels.map(
      (l, i) =>
        config.classThresholds[l] ?? config.classThresholds[modelLabels[i] ?? ''] ?? config.scoreThreshold,
    ),
  );
}

export function createEngine(config: DetectorConfig, model: LoadedModel): Engine {
  const { info, session, decoder } = model;
  const [inputH, inputW] = info.imgsz;
  const thresholds = classThresholds(config, model);
  // Decoded down to faintScore; what is under a class's threshold comes back apart (faint).
  const floor = config.faintScore;
  const decodeFrom = floor > 0 ? thresholds.map((t) => Math.min(t, floor)) : thresholds;
  const second = config.secondOpinion.enabled ? model.secondOpinion : null;
  // The second head names model labels; the detector reports them under detector.aliases.
  const reported = (modelLabel: string): string | null => {
    const i = info.modelLabels.indexOf(modelLabel);
    return i >= 0 ? (info.labels[i] ?? null) : null;
  };

  // loadModel applies flipTest only where the output maps onto its mirror, so the map exists then
  const flipMap = info.flipTest ? mirrorIndex(inputW, inputH, info.outputDims[1] ?? 0) : null;
  const mirrored = flipMap ? new Float32Array(3 * inputH * inputW) : null;

  return {
    async run(input, geometry) {
      const t0 = performance.now();
      const tensor = new ort.Tensor('float32', input, [1, 3, inputH, inputW]);
      const result = await session.run({ [info.inputName]: tensor });
      const out = result[info.outputName] as ort.Tensor;
      let data = out.data as Float32Array;
      if (flipMap && mirrored) {
        const flipped = new ort.Tensor('float32', mirrorInput(input, inputH, inputW, mirrored), [
          1,
          3,
          inputH,
          inputW,
        ]);
        const second = (await session.run({ [info.inputName]: flipped }))[info.outputName] as ort.Tensor;
        data = averageMirrored(data, second.data as Float32Array, out.dims[2] as number, inputW, flipMap);
      }
      const t1 = performance.now();
      const candidates = decoder.decode({
        data,
        dims: out.dims,
        inputW,
        inputH,
        thresholds: decodeFrom,
      });
      const pp = postprocessAll(candidates, {
        needsNms: decoder.needsNms,
        nmsIou: config.nmsIou,
        maxDetections: config.maxDetections,
        geometry,
        labels: info.labels,
        rivals: config.rivals.iou < 1 ? config.rivals : undefined,
        countFrom: floor > 0 ? thresholds : undefined,
      });
      let detections = pp.detections;
      const coco = second ? result[SECOND_OPINION_OUTPUT] : undefined;
      if (second && coco) {
        const boxes = decodeCoco(coco.data as Float32Array, coco.dims, second, geometry, {
          minScore: Math.min(config.secondOpinion.minScore, config.secondOpinion.doubtScore),
          nmsIou: config.nmsIou,
          maxDetections: config.maxDetections,
        });
        detections = applySecondOpinion(detections, boxes, second, {
          ...config.secondOpinion,
          scoreRatio: config.rivals.scoreRatio,
          reported,
        });
      }
      return { detections, faint: pp.faint, runMs: t1 - t0, decodeMs: performance.now() - t1 };
    },
  };
}
