// Real images for the photo-realistic renderer: photographs (backgrounds, textures, negative
// frames) and cut-outs with alpha (real distractors, food that is not on the menu, the store's
// own sprites of menu items). Photos come from Debian packages listed in
// tools/train/photolib/manifest.json and fetched by tools/train/photolib/fetch.sh; the store's
// sprites from a folder per label. Images are decoded once, downscaled, and kept in memory.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import sharp from 'sharp';

/** A decoded image: rgb (3 channels) for photos, rgba (4) for cut-outs. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
  /** Where it came from (for errors and the dataset's record). */
  source: string;
}

export interface PhotoLibrary {
  photos: RawImage[];
  /** Real objects that are not menu items (unlabelled distractors). */
  objects: RawImage[];
  /** Real food that is not on the menu (must stay unlabelled: the model learns to ignore it). */
  otherFood: RawImage[];
}

/** Cut-outs of menu items by label (the store's photos, or rendered test sprites). */
export type SpriteSet = Map<string, RawImage[]>;

const PHOTO_MAX_PX = 1024;
const CUTOUT_MAX_PX = 320;
const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.webp']);

async function decode(file: string, maxPx: number, alpha: boolean): Promise<RawImage> {
  let img = sharp(file, { failOn: 'error' })
    .rotate()
    .resize(maxPx, maxPx, { fit: 'inside', withoutEnlargement: true });
  img = alpha ? img.ensureAlpha() : img.removeAlpha();
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: alpha ? 4 : 3, source: file };
}

interface IndexEntry {
  file: string;
  role: 'photo' | 'cutout';
  split: 'train' | 'test';
  food?: boolean;
}

/**
 * Loads the training split of a library laid out by fetch.sh (`DIR/index.json`).
 * Throws with the folder and the command to run when it is missing.
 */
export async function loadPhotoLibrary(
  dir: string,
  split: 'train' | 'test' = 'train',
): Promise<PhotoLibrary> {
  const indexFile = join(dir, 'index.json');
  if (!existsSync(indexFile))
    throw new Error(
      `no photo library at ${dir} (index.json missing): run tools/train/photolib/fetch.sh ${dir}`,
    );
  const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { images: IndexEntry[] };
  const lib: PhotoLibrary = { photos: [], objects: [], otherFood: [] };
  const entries = index.images.filter((e) => e.split === split);
  // Two decodes in flight: sharp works on its own threads.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const e = entries[next++] as IndexEntry;
      const file = join(dir, e.file);
      if (e.role === 'photo') lib.photos.push(await decode(file, PHOTO_MAX_PX, false));
      else (e.food ? lib.otherFood : lib.objects).push(await decode(file, CUTOUT_MAX_PX, true));
    }
  };
  await Promise.all([worker(), worker()]);
  // Decode order depends on timing: sort so that a seed always picks the same image.
  for (const list of [lib.photos, lib.objects, lib.otherFood])
    list.sort((a, b) => a.source.localeCompare(b.source));
  if (lib.photos.length === 0) throw new Error(`photo library ${dir} has no ${split} photos`);
  return lib;
}

/** Loads `<dir>/<label>/*.png` cut-outs (alpha used as given; images without alpha are opaque). */
export async function loadSprites(dir: string, labels: readonly string[]): Promise<SpriteSet> {
  if (!existsSync(dir)) throw new Error(`sprites folder ${dir} does not exist`);
  const set: SpriteSet = new Map();
  for (const label of readdirSync(dir).sort()) {
    const sub = join(dir, label);
    let files: string[];
    try {
      files = readdirSync(sub).filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()));
    } catch {
      continue; // a plain file beside the label folders
    }
    if (files.length === 0) continue;
    if (!labels.includes(label))
      throw new Error(`sprites folder ${sub}: "${label}" is not a model label (${labels.join(', ')})`);
    const imgs: RawImage[] = [];
    for (const f of files.sort()) imgs.push(await decode(join(sub, f), CUTOUT_MAX_PX, true));
    set.set(label, imgs);
  }
  if (set.size === 0) throw new Error(`sprites folder ${dir} has no <label>/*.png cut-outs`);
  return set;
}

/** A crop of a photo resized to w×h rgb; `zoom` 1 = the whole photo, 0.1 = a tenth of its width. */
export async function photoCrop(
  img: RawImage,
  w: number,
  h: number,
  zoom: number,
  fx: number,
  fy: number,
): Promise<Buffer> {
  const aspect = w / h;
  let cw = Math.max(8, Math.round(img.width * zoom));
  let ch = Math.round(cw / aspect);
  if (ch > img.height) {
    ch = img.height;
    cw = Math.round(ch * aspect);
  }
  const left = Math.round((img.width - cw) * fx);
  const top = Math.round((img.height - ch) * fy);
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } })
    .extract({ left, top, width: cw, height: ch })
    .resize(w, h, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer();
}

/** A cut-out scaled so that its longer side is `sizePx`, rotated (transparent corners), rgba. */
export async function cutoutInstance(
  img: RawImage,
  sizePx: number,
  rotationDeg: number,
  flip: boolean,
): Promise<{ data: Buffer; width: number; height: number }> {
  const s = sizePx / Math.max(img.width, img.height);
  const w = Math.max(2, Math.round(img.width * s));
  const h = Math.max(2, Math.round(img.height * s));
  let p = sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } })
    .ensureAlpha()
    .resize(w, h, { fit: 'fill' });
  if (flip) p = p.flop();
  const resized = await p.raw().toBuffer({ resolveWithObject: true });
  const { data, info } = await sharp(resized.data, {
    raw: { width: resized.info.width, height: resized.info.height, channels: 4 },
  })
    .rotate(rotationDeg, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
