// Still images (CLI, tests): decode with sharp, then shrink with sharp's antialiased lanczos3
// to exactly the size the letterbox would give, so the detector's own bilinear step is 1:1.
// Photos are often many times the model input; a plain bilinear shrink aliases there and moves
// the scores of a small model like YOLOX-nano by up to ±0.2 (see test/detect/interop-yolox.test.ts).
// Camera frames need none of this: ffmpeg already scaled them close to the input size.
import sharp from 'sharp';
import type { Detection } from '../types.js';
import type { Detector } from './detector.js';
import { clipBox } from './nms.js';

export interface RgbImage {
  rgb: Buffer;
  width: number;
  height: number;
}

export async function decodeImage(file: string): Promise<RgbImage> {
  const { data, info } = await sharp(file)
    .rotate()
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${file} decoded to ${info.channels} channels, expected 3`);
  return { rgb: data, width: info.width, height: info.height };
}

/** The image resized to fit [inputH, inputW], aspect kept (up to rounding to whole pixels). */
export async function fitToInput(img: RgbImage, imgsz: readonly [number, number]): Promise<RgbImage> {
  const scale = Math.min(imgsz[1] / img.width, imgsz[0] / img.height);
  const width = Math.max(1, Math.round(img.width * scale));
  const height = Math.max(1, Math.round(img.height * scale));
  if (width === img.width && height === img.height) return img;
  const rgb = await sharp(img.rgb, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return { rgb, width, height };
}

/** Runs the detector on a still image; boxes in the image's own pixels. */
export async function detectImage(
  detector: Detector,
  img: RgbImage,
  seq = 0,
): Promise<{ detections: Detection[]; inferenceMs: number }> {
  const fitted = await fitToInput(img, detector.info().imgsz);
  // Per axis: the fitted image is exactly width × height, so its edges map onto the image's.
  const sx = img.width / fitted.width;
  const sy = img.height / fitted.height;
  const fd = await detector.detect({
    cameraId: 'image',
    seq,
    ts: Date.now(),
    width: fitted.width,
    height: fitted.height,
    data: fitted.rgb,
  });
  const detections: Detection[] = [];
  for (const d of fd.detections) {
    const box = clipBox([d.box[0] * sx, d.box[1] * sy, d.box[2] * sx, d.box[3] * sy], img.width, img.height);
    if (box) detections.push({ ...d, box });
  }
  return { detections, inferenceMs: fd.inferenceMs };
}
