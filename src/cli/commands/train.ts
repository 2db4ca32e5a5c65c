import { existsSync } from 'node:fs';
import { projectPath } from '../../paths.js';
import { readActive } from '../../teach/promote.js';
import {
  newTrainState,
  readTrainState,
  train,
  type TrainEvent,
  type TrainParams,
} from '../../teach/train.js';
import { pythonProblem, type Step } from '../../teach/train-steps.js';
import { EXIT_CONFIG, numberOption, UsageError, type Command } from '../command.js';
import { datasetCommand } from './dataset.js';
import { configOption, loadTeachConfig } from './teach-config.js';

const EXIT_UNAVAILABLE = 69; // EX_UNAVAILABLE: a required program is missing

function fmtS(s: number): string {
  return s >= 60
    ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`
    : `${Math.round(s)}s`;
}

/** Progress on stderr: a redrawn bar on a terminal, one line per epoch otherwise. */
function terminal(e: TrainEvent): void {
  const tty = process.stderr.isTTY;
  switch (e.type) {
    case 'phase':
      process.stderr.write(`${tty ? '\n' : ''}${e.phase}: ${e.detail}\n`);
      break;
    case 'warning':
      process.stderr.write(`warning: ${e.message}\n`);
      break;
    case 'progress': {
      if (!tty) break;
      const done = (e.epoch + e.iter / Math.max(1, e.iters)) / e.epochs;
      const bar = '#'.repeat(Math.round(done * 25)).padEnd(25, '.');
      process.stderr.write(
        `\rtrain [${bar}] epoch ${e.epoch + 1}/${e.epochs} loss ${e.loss.toFixed(3)} eta ${fmtS(e.etaS)}   `,
      );
      break;
    }
    case 'epoch':
      process.stderr.write(
        `${tty ? '\n' : ''}epoch ${e.epoch + 1}: loss ${e.loss.toFixed(3)}, val mAP@0.5 ${e.valMap50.toFixed(3)}\n`,
      );
      break;
    case 'done':
      process.stdout.write(
        `candidate ${e.candidate} (sha256 ${e.card.sha256.slice(0, 12)})\nnext: traycheck model compare --config FILE ${e.candidate}\n`,
      );
      break;
  }
}

export const trainCommand: Command = {
  name: 'train',
  summary: "fine-tune a candidate model on this store's sprites and labelled frames (resumable)",
  usage: 'train --config FILE [--minutes 30] [--frames 1500] [--epochs 20] [--photos DIR] [--fresh] [--json]',
  options: {
    ...configOption,
    minutes: { type: 'string', valueName: 'N', description: 'Wall-clock training budget (default 30).' },
    frames: { type: 'string', valueName: 'N', description: 'Rendered training frames (default 1500).' },
    epochs: { type: 'string', valueName: 'N', description: 'At most this many epochs (default 20).' },
    photos: {
      type: 'string',
      valueName: 'dir',
      description:
        'Photo library for real backgrounds, needed to paste sprites (default data/photolib when present).',
    },
    fresh: { type: 'boolean', description: 'Start a new run instead of resuming an unfinished one.' },
    json: { type: 'boolean', description: 'JSON lines on stdout (phase, progress, epoch, done).' },
  },
  async run(args) {
    const loaded = loadTeachConfig(args);
    if (!loaded) return EXIT_CONFIG;
    const { dataDir } = loaded.config.storage;
    const python = process.env.TRAYCHECK_PYTHON ?? '/usr/bin/python3';
    const missing = pythonProblem(python);
    if (missing) {
      process.stderr.write(`traycheck train: ${missing}\n`);
      return EXIT_UNAVAILABLE;
    }
    const positive = (name: string, dflt: number): number => {
      const v = numberOption(args, name, dflt);
      if (!(v > 0)) throw new UsageError(`--${name} must be a positive number`);
      return v;
    };
    const defaultPhotos = projectPath('data', 'photolib');
    const params: TrainParams = {
      minutes: positive('minutes', 30),
      frames: Math.round(positive('frames', 1500)),
      epochs: Math.round(positive('epochs', 20)),
      seed: 1,
      // One thread while the daemon runs cameras on this box: the counter comes first.
      threads: readActive(dataDir) ? 1 : 2,
      photos:
        typeof args.values.photos === 'string'
          ? args.values.photos
          : existsSync(defaultPhotos)
            ? defaultPhotos
            : null,
    };
    const json = Boolean(args.values.json);
    const emit = (e: TrainEvent): void => {
      if (json) process.stdout.write(`${JSON.stringify(e)}\n`);
      else terminal(e);
    };
    const previous = readTrainState(dataDir);
    const state =
      previous && previous.phase !== 'done' && !args.values.fresh
        ? previous
        : newTrainState(dataDir, params, new Date());
    if (state === previous)
      emit({ type: 'warning', message: `resuming ${state.run} at ${state.phase} (--fresh starts over)` });
    // A signal stops the running step; the state on disk lets the next run resume.
    let step: Step | null = null;
    let stopped = false;
    const onSignal = (): void => {
      stopped = true;
      step?.child.kill('SIGTERM');
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      await train(
        {
          dataDir,
          storeId: loaded.config.store.id,
          python,
          datasetHasSprites: 'sprites' in datasetCommand.options,
          onEvent: emit,
        },
        state,
        (s) => (step = s),
      );
      return 0;
    } catch (err) {
      process.stderr.write(
        `traycheck train: ${stopped ? 'stopped; run it again to resume' : (err as Error).message}\n`,
      );
      return stopped ? 130 : 1;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
