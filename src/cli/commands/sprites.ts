import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { addNewLabel, LabelError } from '../../teach/labels.js';
import { addSprite, SpriteError, type SpriteAdded } from '../../teach/sprites.js';
import { EXIT_CONFIG, requireString, UsageError, type Command } from '../command.js';
import { configOption, loadTeachConfig, modelLabels, spriteLabels } from './teach-config.js';

type Outcome =
  ({ image: string } & SpriteAdded) | { image: string; status: 'refused'; problem: string; reason: string };

export const spritesCommand: Command = {
  name: 'sprites',
  summary: 'teach a menu item from photos: `sprites add --label L IMAGE...` cuts them out and stores them',
  usage: 'sprites add --config FILE --label L [--new-label] [--json] IMAGE...',
  positionals: true,
  options: {
    ...configOption,
    label: {
      type: 'string',
      short: 'l',
      valueName: 'label',
      description: 'The item in the photos. Required.',
    },
    'new-label': {
      type: 'boolean',
      description:
        'Create the label when no model knows it yet (a new menu item: lowercase a-z, 0-9, _); then map a menu item to it.',
    },
    json: { type: 'boolean', description: 'Print one JSON document.' },
  },
  async run(args) {
    const [sub, ...images] = args.positionals;
    if (sub !== 'add') throw new UsageError('expected the subcommand "add"');
    if (images.length === 0) throw new UsageError('give at least one photo');
    const label = requireString(args, 'label');
    const loaded = loadTeachConfig(args);
    if (!loaded) return EXIT_CONFIG;
    const { dataDir } = loaded.config.storage;
    let known = spriteLabels(loaded);
    if (args.values['new-label'] && !known.includes(label)) {
      try {
        addNewLabel(dataDir, label, modelLabels(loaded));
      } catch (err) {
        if (err instanceof LabelError) throw new UsageError(err.message);
        throw err;
      }
      known = [...known, label];
    }
    const out: Outcome[] = [];
    for (const image of images) {
      try {
        let bytes: Buffer;
        try {
          bytes = readFileSync(image);
        } catch (err) {
          throw new SpriteError('not-an-image', `cannot read: ${(err as Error).message}`);
        }
        out.push({
          image,
          ...(await addSprite({ dataDir, label, knownLabels: known, bytes, source: basename(image) })),
        });
      } catch (err) {
        if (!(err instanceof SpriteError)) throw err;
        out.push({ image, status: 'refused', problem: err.problem, reason: err.message });
      }
    }
    if (args.values.json) process.stdout.write(`${JSON.stringify({ label, results: out }, null, 2)}\n`);
    else
      for (const o of out)
        process.stdout.write(
          o.status === 'refused'
            ? `${o.image}: refused, ${o.reason}\n`
            : `${o.image}: ${o.status === 'stored' ? 'stored' : 'already stored'} as ${o.file} (${o.card.method === 'alpha' ? 'PNG alpha' : `cut out, ΔE > ${o.card.thresholdDeltaE}`}, ${o.card.box.width}x${o.card.box.height} px)\n`,
        );
    return out.some((o) => o.status === 'refused') ? 1 : 0;
  },
};
