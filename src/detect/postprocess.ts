// Candidates (model input pixels) → detections (frame pixels): class-wise NMS unless the model
// did it, map out of the letterbox, clip to the frame, drop boxes left with no area, name them.
import type { Detection } from '../types.js';
import { toFramePx, type LetterboxGeometry } from './letterbox.js';
import { clipBox, iou, nmsClassWise, type Candidate } from './nms.js';

export interface PostprocessOptions {
  needsNms: boolean;
  nmsIou: number;
  maxDetections: number;
  geometry: LetterboxGeometry;
  /** Label per class id (aliases already applied). */
  labels: readonly string[];
  /**
   * Two boxes of different labels overlapping at least `iou` are one object the model could not
   * name: the weaker is dropped, and the stronger is flagged uncertain when the weaker scored at
   * least `scoreRatio` of it (absent = keep both, as before).
   */
  rivals?: { iou: number; scoreRatio: number };
}

/**
 * Resolves rival labels on one object (sorted by score, best first). Without it a burger the model
 * half-takes for fries counts as one burger and one fries, and the verifier alerts on a correct
 * tray; with it the verifier sees one uncertain item and says "uncertain" instead.
 */
export function resolveRivals(dets: Detection[], o: { iou: number; scoreRatio: number }): Detection[] {
  const kept: Detection[] = [];
  for (const d of dets) {
    const rival = kept.find((k) => k.label !== d.label && iou(k.box, d.box) >= o.iou);
    if (!rival) {
      kept.push(d);
      continue;
    }
    if (d.score >= o.scoreRatio * rival.score) rival.uncertain = true;
  }
  return kept;
}

export function postprocess(candidates: Candidate[], o: PostprocessOptions): Detection[] {
  const kept = o.needsNms
    ? nmsClassWise(candidates, o.nmsIou, o.maxDetections)
    : [...candidates].sort((a, b) => b.score - a.score).slice(0, o.maxDetections);
  const detections: Detection[] = [];
  for (const c of kept) {
    const box = clipBox(toFramePx(c.box, o.geometry), o.geometry.srcW, o.geometry.srcH);
    if (box) detections.push({ label: o.labels[c.classId] ?? `class${c.classId}`, score: c.score, box });
  }
  if (!o.rivals) return detections;
  return resolveRivals(
    detections.sort((a, b) => b.score - a.score),
    o.rivals,
  );
}
