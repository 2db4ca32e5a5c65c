import { writeDataset } from '../../sim/dataset.js';
import { NEGATIVE_SHARE } from '../../sim/render/photoreal.js';
import { progressBar } from '../progress.js';
import { NEW_LABEL_PATTERN } from '../../teach/labels.js';
import { numberOption, requireString, UsageError, type Command } from '../command.js';

function newLabels(value: unknown): string[] {
  if (typeof value !== 'string' || value === '') return [];
  const labels = value.split(',').map((l) => l.trim());
  const bad = labels.find((l) => !NEW_LABEL_PATTERN.test(l));
  if (bad !== undefined)
    throw new UsageError(`--new-labels: "${bad}" is not a label (lowercase a-z, 0-9, _)`);
  return labels;
}

export const datasetCommand: Command = {
  name: 'dataset',
  summary: 'render a synthetic training dataset (images, YOLO labels, scenes) from a seed',
  usage:
    'dataset --out DIR --count N --seed S [--val 0.06] [--test] [--photos DIR] [--sprites DIR] [--new-labels L,...] [--real 0.7] [--lens 0.3] [--negatives 0.16] [--difficulty normal|hard]',
  options: {
    out: { type: 'string', short: 'o', valueName: 'dir', description: 'Output folder.' },
    count: { type: 'string', short: 'n', valueName: 'N', description: 'Number of images (default 1000).' },
    seed: { type: 'string', short: 's', valueName: 'S', description: 'Seed (default 1).' },
    val: {
      type: 'string',
      valueName: 'fraction',
      description: 'Fraction of images in the val split (default 0.1).',
    },
    test: { type: 'boolean', description: 'Write the held-out test split (seeds training never uses).' },
    photos: {
      type: 'string',
      valueName: 'dir',
      description:
        'Photo library (made by tools/train/photolib/fetch.sh): real backgrounds, textures, clutter and negative frames.',
    },
    real: {
      type: 'string',
      valueName: 'share',
      description:
        'Share of frames rendered with real imagery or sprites when --photos or --sprites is given (default 0.7).',
    },
    lens: {
      type: 'string',
      valueName: 'share',
      description:
        'Share of photo-realistic frames seen through a wide-angle lens, barrel distortion (default 0).',
    },
    negatives: {
      type: 'string',
      valueName: 'share',
      description:
        'Share of photo-realistic frames with nothing to find: half a real photo, half a bare counter with clutter (default 0.16).',
    },
    sprites: {
      type: 'string',
      valueName: 'dir',
      description:
        'Cut-outs of menu items, <dir>/<label>/*.png, pasted instead of drawn items (with --photos, on real backgrounds).',
    },
    difficulty: {
      type: 'string',
      valueName: 'D',
      description:
        "normal (default) or hard: scenes like scenario generate's hard preset (trays up to 10 items hiding the tray, maximum clutter, dim warm light).",
    },
    'new-labels': {
      type: 'string',
      valueName: 'L,...',
      description:
        'Labels no model knows yet (new menu items), classes after the base ones in this order; their sprites in --sprites stand in for some items.',
    },
  },
  async run(args) {
    const difficulty = (args.values.difficulty as string | undefined) ?? 'normal';
    if (difficulty !== 'normal' && difficulty !== 'hard')
      throw new UsageError('--difficulty must be normal or hard');
    const negatives = numberOption(args, 'negatives', NEGATIVE_SHARE);
    if (negatives < 0 || negatives > 1) throw new UsageError('--negatives must be a share from 0 to 1');
    const summary = await writeDataset({
      outDir: requireString(args, 'out'),
      count: numberOption(args, 'count', 1000),
      seed: numberOption(args, 'seed', 1),
      valFraction: numberOption(args, 'val', 0.1),
      split: args.values.test ? 'test' : 'train',
      photos: typeof args.values.photos === 'string' ? args.values.photos : undefined,
      sprites: typeof args.values.sprites === 'string' ? args.values.sprites : undefined,
      newLabels: newLabels(args.values['new-labels']),
      realShare: numberOption(args, 'real', 0.7),
      lens: numberOption(args, 'lens', 0),
      negatives,
      difficulty,
      onProgress: progressBar('rendering'),
    });
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    return 0;
  },
};
