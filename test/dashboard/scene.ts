// A synthetic overhead counter picture (rgb24) for live-view and snapshot tests, what the
// detector sees in it, and the tray the live view shows over it.
import sharp from 'sharp';
import type { Detection, Frame, FrameDetections, LiveTray } from '../../src/types.js';

export const SCENE_DETECTIONS: Detection[] = [
  { label: 'tray', score: 0.97, box: [180, 70, 470, 300] },
  { label: 'burger', score: 0.93, box: [210, 100, 310, 190] },
  { label: 'fries', score: 0.9, box: [340, 100, 430, 200] },
  { label: 'drink', score: 0.88, box: [230, 210, 300, 280] },
];

/** The scene's tray, settled on order 1044 with one of its two fries missing. */
export const SCENE_TRAY: LiveTray = {
  trayId: 'expo-3',
  box: [180, 70, 470, 300],
  counts: { burger: 1, fries: 1, drink: 1 },
  settled: true,
  orderId: '1044',
  expected: { burger: 1, fries: 2, drink: 1 },
};

/** The detector's answer on a scene frame. */
export function sceneDetections(f: Omit<Frame, 'data'>): FrameDetections {
  return {
    cameraId: f.cameraId,
    seq: f.seq,
    ts: f.ts,
    width: f.width,
    height: f.height,
    detections: SCENE_DETECTIONS,
    inferenceMs: 30,
  };
}

export async function sceneRgb(width = 640, height = 360, shiftPx = 0): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#6d6f73"/>
    <rect x="${180 + shiftPx}" y="70" width="290" height="230" rx="12" fill="#8a5a2b"/>
    <circle cx="${260 + shiftPx}" cy="145" r="45" fill="#c98a3c"/><rect x="${222 + shiftPx}" y="140" width="76" height="10" fill="#5a3015"/>
    <rect x="${345 + shiftPx}" y="120" width="80" height="80" fill="#d62d20"/><rect x="${350 + shiftPx}" y="100" width="70" height="24" fill="#ffcc33"/>
    <circle cx="${265 + shiftPx}" cy="245" r="33" fill="#e8e8e8"/><circle cx="${265 + shiftPx}" cy="245" r="24" fill="#3b1f0e"/>
  </svg>`;
  return sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
}

export async function sceneJpeg(): Promise<Buffer> {
  return sharp(await sceneRgb(), { raw: { width: 640, height: 360, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}
