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
  /**
   * Per class id, the score a detection needs to count. Candidates under it (the decoder was given
   * a lower floor) come back apart as `faint`: never counted, only evidence that an item may be
   * there (a burger half hidden under another). Absent: every candidate counts.
   */
  countFrom?: Float32Array;
}

export interface Postprocessed {
  detections: Detection[];
  /** Candidates under their class threshold, best first; none on an object a counted box of another label holds. */
  faint: Detection[];
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
    if (d.score >= o.scoreRatio * rival.score) {
      rival.uncertain = true;
      rival.rival ??= d.label;
    }
  }
  return kept;
}

export function postprocess(candidates: Candidate[], o: PostprocessOptions): Detection[] {
  return postprocessAll(candidates, o).detections;
}

/**
 * As postprocess, keeping the faint candidates apart. NMS runs over both: a faint box never
 * suppresses a counted one (it scores lower), so the counted detections are those a decoder
 * without the floor gives.
 */
export function postprocessAll(candidates: Candidate[], o: PostprocessOptions): Postprocessed {
  const kept = o.needsNms
    ? nmsClassWise(candidates, o.nmsIou, o.maxDetections)
    : [...candidates].sort((a, b) => b.score - a.score).slice(0, o.maxDetections);
  let detections: Detection[] = [];
  let faint: Detection[] = [];
  for (const c of kept) {
    const box = clipBox(toFramePx(c.box, o.geometry), o.geometry.srcW, o.geometry.srcH);
    if (!box) continue;
    const d: Detection = { label: o.labels[c.classId] ?? `class${c.classId}`, score: c.score, box };
    if (o.countFrom && c.score < (o.countFrom[c.classId] as number)) faint.push(d);
    else detections.push(d);
  }
  if (o.rivals)
    detections = resolveRivals(
      detections.sort((a, b) => b.score - a.score),
      o.rivals,
    );
  // A faint label on a counted object is its runner-up name, not a second object.
  const oneObject = o.rivals?.iou ?? 0.6;
  if (faint.length)
    faint = faint.filter(
      (f) => !detections.some((d) => d.label !== f.label && iou(d.box, f.box) >= oneObject),
    );
  return { detections, faint };
}
