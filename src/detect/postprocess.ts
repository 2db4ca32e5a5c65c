// Candidates (model input pixels) → detections (frame pixels): class-wise NMS unless the model
// did it, map out of the letterbox, clip to the frame, drop boxes left with no area, name them.
import type { Detection } from '../types.js';
import { toFramePx, type LetterboxGeometry } from './letterbox.js';
import { clipBox, nmsClassWise, type Candidate } from './nms.js';

export interface PostprocessOptions {
  needsNms: boolean;
  nmsIou: number;
  maxDetections: number;
  geometry: LetterboxGeometry;
  /** Label per class id (aliases already applied). */
  labels: readonly string[];
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
  return detections;
}
