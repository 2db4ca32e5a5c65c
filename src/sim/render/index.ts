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
  let img = sharp(Buffer.from(svg), { density: 72 });
  if (scene.blur >= 0.3) img = img.blur(scene.blur);
  let rgb: Buffer = await img.removeAlpha().raw().toBuffer();
  if (rgb.length !== width * height * 3)
    throw new Error(`renderer produced ${rgb.length} bytes, expected ${width * height * 3}`);
  applyLightAndNoise(rgb, scene);
  if (scene.jpegQuality !== null) rgb = await jpegRoundTrip(rgb, width, height, scene.jpegQuality);
  const labels = visibleObjects(layers, width, height, MIN_VISIBLE_FRACTION).map(({ label, box }) => ({
    label,
    box,
  }));
  return { rgb, width, height, labels };
}
