// Writes a synthetic training set in the YOLO txt layout: images/<split>/*.jpg,
// labels/<split>/*.txt ("class cx cy w h", normalised), scenes/<split>/*.json (the scene,
// so any image can be re-rendered), classes.txt and data.json.
// The held-out test split uses seeds from a range training never touches (seed + 1e9).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSES, encodeJpeg, MIN_VISIBLE_FRACTION, randomScene, renderScene } from './render/index.js';
import { loadPhotoLibrary, loadSprites, type PhotoLibrary, type SpriteSet } from './render/photolib.js';
import { NEGATIVE_SHARE, renderPhotoreal, type RealKind } from './render/photoreal.js';
import { rngFor } from './render/random.js';
import { classList, withNewLabels } from './new-labels.js';
import { hardScene } from './hard-scene.js';

export const TEST_SEED_OFFSET = 1_000_000_000;

export interface DatasetOptions {
  outDir: string;
  count: number;
  seed: number;
  /** Fraction of the images that go to the val split (train split only). */
  valFraction?: number;
  /** 'train' writes train + val; 'test' writes the held-out test split. */
  split?: 'train' | 'test';
  width?: number;
  height?: number;
  jpegQuality?: number;
  /** Photo library folder (tools/train/photolib/fetch.sh): enables photo-realistic frames. */
  photos?: string;
  /** Folder of `<label>/*.png` cut-outs of menu items, pasted instead of drawn items. */
  sprites?: string;
  /**
   * Labels no model knows yet (the store's new menu items), classes after CLASSES in this order.
   * Only sprites show them: some items of sprite frames become one of them.
   */
  newLabels?: readonly string[];
  /** Share of frames rendered photo-realistically when `photos` is given (default 0.7). */
  realShare?: number;
  /** Share of photo-realistic frames seen through a wide-angle lens (default 0; render/lens.ts). */
  lens?: number;
  /**
   * Share of photo-realistic frames with nothing to find, half real photos and half bare counters
   * (default NEGATIVE_SHARE, as every dataset before the option had).
   */
  negatives?: number;
  /** `hard`: scenes as the eval's hard preset shows them (hard-scene.ts); default `normal`. */
  difficulty?: 'normal' | 'hard';
  onProgress?: (done: number, total: number) => void;
}

export interface DatasetSummary {
  outDir: string;
  splits: Record<string, number>;
  objects: Record<string, number>;
  /** Frames by kind: drawn, photo-realistic scene, clutter-only counter, real photo (negative). */
  kinds: Record<string, number>;
  ms: number;
}

export function yoloLines(
  labels: Array<{ label: string; box: [number, number, number, number] }>,
  width: number,
  height: number,
  classes: readonly string[] = CLASSES,
): string {
  return labels
    .map(({ label, box: [x1, y1, x2, y2] }) => {
      const c = classes.indexOf(label);
      if (c < 0) throw new Error(`label not in class list: ${label}`);
      const v = [(x1 + x2) / 2 / width, (y1 + y2) / 2 / height, (x2 - x1) / width, (y2 - y1) / height];
      return `${c} ${v.map((n) => n.toFixed(6)).join(' ')}\n`;
    })
    .join('');
}

export async function writeDataset(opts: DatasetOptions): Promise<DatasetSummary> {
  const t0 = Date.now();
  const split = opts.split ?? 'train';
  const valCount = split === 'test' ? 0 : Math.round(opts.count * (opts.valFraction ?? 0.1));
  const base = opts.seed + (split === 'test' ? TEST_SEED_OFFSET : 0);
  const splitOf = (i: number): string =>
    split === 'test' ? 'test' : i >= opts.count - valCount ? 'val' : 'train';
  const splits: Record<string, number> = {};
  const classes = classList(opts.newLabels ?? []);
  const objects: Record<string, number> = Object.fromEntries(classes.map((c) => [c, 0]));
  const kinds: Record<string, number> = {};
  // Sprites work without the photo library too (drawn counters, no photo grain or negatives).
  const lib: PhotoLibrary | undefined = opts.photos
    ? await loadPhotoLibrary(opts.photos)
    : opts.sprites
      ? { photos: [], objects: [], otherFood: [] }
      : undefined;
  const sprites: SpriteSet | undefined = opts.sprites ? await loadSprites(opts.sprites, classes) : undefined;
  const realShare = opts.realShare ?? 0.7;
  const negativeHalf = (opts.negatives ?? NEGATIVE_SHARE) / 2;
  for (const s of split === 'test' ? ['test'] : ['train', 'val']) {
    for (const kind of ['images', 'labels', 'scenes'])
      mkdirSync(join(opts.outDir, kind, s), { recursive: true });
    splits[s] = 0;
  }
  const renderOne = async (i: number): Promise<void> => {
    const size = { width: opts.width ?? 640, height: opts.height ?? 360 };
    let scene = opts.difficulty === 'hard' ? hardScene(base + i, size) : randomScene(base + i, size);
    let kind: RealKind | 'drawn' = 'drawn';
    let sources: string[] = [];
    let frame;
    if (lib && rngFor(scene.seed, 41)() < realShare) {
      if (sprites) scene = withNewLabels(scene, sprites, opts.newLabels ?? []);
      const real = await renderPhotoreal(scene, {
        lib,
        sprites,
        minVisible: MIN_VISIBLE_FRACTION,
        lens: opts.lens,
        photoNegatives: negativeHalf,
        counterNegatives: negativeHalf,
      });
      ({ kind, sources } = real);
      frame = real;
    } else {
      frame = await renderScene(scene);
    }
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    const s = splitOf(i);
    const name = String(i).padStart(6, '0');
    writeFileSync(
      join(opts.outDir, 'images', s, `${name}.jpg`),
      await encodeJpeg(frame.rgb, frame.width, frame.height, opts.jpegQuality ?? 92),
    );
    writeFileSync(
      join(opts.outDir, 'labels', s, `${name}.txt`),
      yoloLines(frame.labels, frame.width, frame.height, classes),
    );
    writeFileSync(
      join(opts.outDir, 'scenes', s, `${name}.json`),
      `${JSON.stringify({ scene, kind, sources, labels: frame.labels })}\n`,
    );
    splits[s] = (splits[s] ?? 0) + 1;
    for (const l of frame.labels) objects[l.label] = (objects[l.label] ?? 0) + 1;
  };
  // Two frames in flight: sharp rasterises one on its thread pool while JS post-processes the other.
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < opts.count) {
      const i = next++;
      await renderOne(i);
      opts.onProgress?.(++done, opts.count);
    }
  };
  await Promise.all([worker(), worker()]);
  writeFileSync(join(opts.outDir, 'classes.txt'), `${classes.join('\n')}\n`);
  const summary: DatasetSummary = { outDir: opts.outDir, splits, objects, kinds, ms: Date.now() - t0 };
  const dataFile = join(opts.outDir, 'data.json');
  const data = {
    names: classes,
    nc: classes.length,
    width: opts.width ?? 640,
    height: opts.height ?? 360,
    seed: opts.seed,
    seedBase: base,
    split,
    splits,
    objects,
    kinds,
    photos: opts.photos ?? null,
    sprites: opts.sprites ?? null,
    realShare: lib ? realShare : 0,
    difficulty: opts.difficulty ?? 'normal',
    format: 'yolo-txt',
  };
  writeFileSync(
    split === 'test' ? join(opts.outDir, 'data-test.json') : dataFile,
    `${JSON.stringify(data, null, 2)}\n`,
  );
  return summary;
}
