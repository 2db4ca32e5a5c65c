// Decoder registry and family choice: config, then model metadata, then the output shape.
import { e2eDecoder } from './e2e.js';
import { traycheckDecoder } from './traycheck.js';
import { FAMILIES, shapeText, type Decoder, type Family } from './types.js';
import { yolov8Decoder } from './yolov8.js';
import { yoloxDecoder } from './yolox.js';

export { FAMILIES, type Decoder, type Family } from './types.js';

export const DECODERS: Record<Family, Decoder> = {
  traycheck: traycheckDecoder,
  yolox: yoloxDecoder,
  yolov8: yolov8Decoder,
  e2e: e2eDecoder,
};

export const isFamily = (v: string): v is Family => (FAMILIES as readonly string[]).includes(v);

export interface FamilyHints {
  configured: Family | 'auto';
  metadata: Record<string, string>;
  outputDims: readonly number[];
  /** Label count when known from metadata or a labels file. */
  numClasses: number | null;
  inputW: number;
  inputH: number;
}

/** Ultralytics writes `names` as a Python dict literal: "{0: 'person', 1: 'bicycle'}". */
const isUltralyticsNames = (v: string | undefined): boolean =>
  v !== undefined && /^\{\s*0\s*:/.test(v.trim());

/** Picks the output decoder; throws an Error whose message says why no single family fits. */
export function resolveFamily(h: FamilyHints): Family {
  if (h.configured !== 'auto') return h.configured;
  const declared = h.metadata.family?.trim().toLowerCase();
  if (declared) {
    if (isFamily(declared)) return declared;
    throw new Error(
      `metadata family "${declared}" is not one of ${FAMILIES.join(', ')}; set detector.family`,
    );
  }
  const task = h.metadata.task?.trim().toLowerCase();
  if (task && task !== 'detect') throw new Error(`metadata task "${task}" is not supported (only "detect")`);

  const dims = h.outputDims;
  const fits = (d: Decoder): boolean =>
    typeof d.classesFromShape(dims, h.numClasses, h.inputW, h.inputH) === 'number';
  if (isUltralyticsNames(h.metadata.names)) {
    const found = [yolov8Decoder, e2eDecoder].filter(fits);
    if (found.length === 1) return (found[0] as Decoder).family;
    throw new Error(
      `Ultralytics model with output ${shapeText(dims)} fits neither [1, 4+nc, N] nor [1, N, 6] unambiguously; set detector.family`,
    );
  }

  // No family in the metadata: guess from the shape. Without a label count only the
  // channel-major [1, 4+nc, N] layout is unmistakable; rows of boxes could be several families.
  const candidates =
    h.numClasses !== null
      ? Object.values(DECODERS).filter(fits)
      : (dims[1] ?? 0) < (dims[2] ?? 0) && fits(yolov8Decoder)
        ? [yolov8Decoder]
        : [];
  if (candidates.length === 1) return (candidates[0] as Decoder).family;
  const what =
    candidates.length > 0
      ? `fits ${candidates.map((c) => c.family).join(' and ')}`
      : h.numClasses === null
        ? 'needs the label count to tell families apart (give detector.labelsFile)'
        : `fits no known family with ${h.numClasses} labels`;
  throw new Error(
    `cannot tell the model family: no family/task metadata, and output ${shapeText(dims)} ${what}; set detector.family (${FAMILIES.join('|')})`,
  );
}
