// Tray scene renderer: Scene → rgb24 frame + label boxes. Deterministic: the same scene
// (seed included) always gives the same bytes. Used by the dataset writer (training data),
// the simulated camera and tests.
import sharp from 'sharp';
import type { Box } from '../../types.js';
import { composeScene } from './compose.js';
import { visibleObjects } from './mask.js';
import { applyLightAndNoise, jpegRoundTrip } from './post.js';
import type { Scene } from './scene.js';

export { CLASSES, ITEM_LABELS, randomScene, sceneForTray, sceneForTrays } from './scene.js';
export type { ClassName, Scene, SceneHand, SceneItem, SceneOptions, SceneTray } from './scene.js';
export { encodeJpeg } from './post.js';

/** Objects less visible than this (hidden by others or outside the frame) get no label. */
export const MIN_VISIBLE_FRACTION = 0.4;

export interface RenderedFrame {
  rgb: Buffer;
  width: number;
  height: number;
  labels: Array<{ label: string; box: Box }>;
}

export async function renderScene(scene: Scene): Promise<RenderedFrame> {
  const { width, height } = scene;
  const { svg, layers } = composeScene(scene);
  const rgb = await finish(await rasterise(svg, scene), scene);
  const labels = visibleObjects(layers, width, height, MIN_VISIBLE_FRACTION).map(({ label, box }) => ({
    label,
    box,
  }));
  return { rgb, width, height, labels };
}

/**
 * Frames only (no label boxes), for a simulated camera: the counter looks the same for seconds
 * between trays, so the last SVG's raster is kept and reused while the drawing does not change
 * (rasterising is 40 % of a frame's cost); light, noise and JPEG are applied anew each frame, so
 * the bytes are exactly renderScene's.
 */
export function createFrameRenderer(): (scene: Scene) => Promise<Buffer> {
  let last: { key: string; raster: Buffer } | null = null;
  return async (scene) => {
    const { svg } = composeScene(scene);
    const key = `${scene.blur}|${svg}`;
    if (last?.key !== key) last = { key, raster: await rasterise(svg, scene) };
    return finish(Buffer.from(last.raster), scene);
  };
}

async function rasterise(svg: string, scene: Scene): Promise<Buffer> {
  let img = sharp(Buffer.from(svg), { density: 72 });
  if (scene.blur >= 0.3) img = img.blur(scene.blur);
  const rgb: Buffer = await img.removeAlpha().raw().toBuffer();
  if (rgb.length !== scene.width * scene.height * 3)
    throw new Error(`renderer produced ${rgb.length} bytes, expected ${scene.width * scene.height * 3}`);
  return rgb;
}

/** What the camera adds, in place on a raster this call may own. */
async function finish(rgb: Buffer, scene: Scene): Promise<Buffer> {
  applyLightAndNoise(rgb, scene);
  if (scene.jpegQuality === null) return rgb;
  return jpegRoundTrip(rgb, scene.width, scene.height, scene.jpegQuality);
}
