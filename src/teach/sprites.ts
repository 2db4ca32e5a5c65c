// The store's sprites: cut-outs of its own menu items under <dataDir>/teach/sprites/<label>/,
// one PNG per source photo named by the photo's sha256 (the same photo twice is stored once),
// with a JSON card beside it. `traycheck dataset --sprites <dataDir>/teach/sprites` composites
// them into training scenes. Labels a model does not know yet are kept in teach/labels.json
// (labels.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CutoutError, cutOut, spritePng, type CutoutProblem } from './cutout.js';

export type SpriteProblem = CutoutProblem | 'unknown-label';

export class SpriteError extends Error {
  constructor(
    readonly problem: SpriteProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface SpriteCard {
  label: string;
  sha256: string;
  source: string;
  method: 'alpha' | 'backdrop';
  /** Object box in the source photo (px). */
  box: { x: number; y: number; width: number; height: number };
  photo: { width: number; height: number };
  thresholdDeltaE: number | null;
  addedAt: string;
}

export interface SpriteAdded {
  status: 'stored' | 'duplicate';
  file: string;
  card: SpriteCard;
}

export const teachDir = (dataDir: string): string => join(dataDir, 'teach');
export const spritesDir = (dataDir: string): string => join(dataDir, 'teach', 'sprites');

function writeAtomic(file: string, data: string | Buffer): void {
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
}

function findBySha(dataDir: string, sha: string): { file: string; card: SpriteCard } | null {
  const root = spritesDir(dataDir);
  if (!existsSync(root)) return null;
  for (const label of readdirSync(root)) {
    const card = join(root, label, `${sha.slice(0, 16)}.json`);
    if (existsSync(card) && existsSync(card.replace(/\.json$/, '.png')))
      return {
        file: join(root, label, `${sha.slice(0, 16)}.png`),
        card: JSON.parse(readFileSync(card, 'utf8')) as SpriteCard,
      };
  }
  return null;
}

export interface AddSpriteOptions {
  dataDir: string;
  label: string;
  /** Labels that may be used: the current model's item labels and the store's new labels. */
  knownLabels: readonly string[];
  bytes: Buffer;
  source: string;
  now?: Date;
}

/** Cuts the photo out and stores the sprite; throws a SpriteError (nothing stored) when it cannot. */
export async function addSprite(opts: AddSpriteOptions): Promise<SpriteAdded> {
  const { dataDir, label } = opts;
  if (!opts.knownLabels.includes(label))
    throw new SpriteError(
      'unknown-label',
      `unknown label "${label}" (known: ${opts.knownLabels.join(', ')}); to teach a new menu item, add --new-label`,
    );
  const sha256 = createHash('sha256').update(opts.bytes).digest('hex');
  const existing = findBySha(dataDir, sha256);
  if (existing) return { status: 'duplicate', ...existing };
  let cut;
  try {
    cut = await cutOut(opts.bytes);
  } catch (err) {
    if (err instanceof CutoutError) throw new SpriteError(err.problem, err.message);
    throw err;
  }
  const png = await spritePng(opts.bytes, cut);
  const dir = join(spritesDir(dataDir), label);
  mkdirSync(dir, { recursive: true });
  const card: SpriteCard = {
    label,
    sha256,
    source: opts.source,
    method: cut.method,
    box: cut.box,
    photo: { width: cut.width, height: cut.height },
    thresholdDeltaE: cut.thresholdDeltaE === null ? null : Math.round(cut.thresholdDeltaE * 10) / 10,
    addedAt: (opts.now ?? new Date()).toISOString(),
  };
  const file = join(dir, `${sha256.slice(0, 16)}.png`);
  // The card first, the PNG (what training reads) last and atomically: a crash between the two
  // leaves a card without a sprite, which is not counted and is overwritten by the next try.
  writeAtomic(join(dir, `${sha256.slice(0, 16)}.json`), `${JSON.stringify(card, null, 2)}\n`);
  writeAtomic(file, png);
  return { status: 'stored', file, card };
}

/** Sprites per label (those with a card). */
export function countSprites(dataDir: string): Record<string, number> {
  const root = spritesDir(dataDir);
  const out: Record<string, number> = {};
  if (!existsSync(root)) return out;
  for (const label of readdirSync(root)) {
    const names = new Set(readdirSync(join(root, label)));
    const files = [...names].filter((f) => f.endsWith('.png') && names.has(f.replace(/\.png$/, '.json')));
    if (files.length) out[label] = files.length;
  }
  return out;
}
