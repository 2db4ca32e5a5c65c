// Detector stage: ONNX model → detections in frame pixels (see docs/DESIGN.md).
export { createDetector, type Detector, type DetectorDeps, type DetectTimings } from './detector.js';
export { createDetectLoop, type DetectLoop, type DetectLoopDeps, type DetectLoopStats } from './loop.js';
export { ModelError } from './errors.js';
export type { ModelInfo } from './model.js';
export { checkMenuLabels, applyAliases, parseNames } from './labels.js';
export { boxCentreInZone, filterToZone, pointInPolygon, type ZonePoint } from './zone.js';
export { FAMILIES, type Family } from './decoders/index.js';
export { readOnnxMeta, type OnnxModelMeta } from './onnx-meta.js';
export { detectorConfig } from './defaults.js';
