// `traycheck train`: the store's own fine-tune, resumable phase by phase. State lives in
// <dataDir>/teach/train/state.json: a killed run starts again where it stopped (the dataset is
// re-rendered if rendering was cut, training continues from train.py's last checkpoint with what
// is left of the wall-clock budget). The result is a candidate under
// <dataDir>/teach/candidates/<run>/ (model.onnx + card.json), for `traycheck model compare/promote`.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../paths.js';
import { modelMeta, sha256File, writeJsonAtomic, type ModelCard } from './registry.js';
import { countSprites, teachDir } from './sprites.js';
import { addStoreFrames, spriteFolder, stopOrphan } from './train-data.js';
import { cliFile, runStep, type Step } from './train-steps.js';

export type Phase = 'render' | 'pack' | 'train' | 'export' | 'done';

export interface TrainParams {
  minutes: number;
  frames: number;
  epochs: number;
  seed: number;
  /** onnxruntime/PyTorch threads: 1 while the daemon runs cameras. */
  threads: number;
  /** Photo library for real backgrounds (needed by the renderer for sprites); null = drawn scenes only. */
  photos: string | null;
}

export interface TrainState {
  run: string;
  phase: Phase;
  params: TrainParams;
  /** Training seconds spent so far, over every resume. */
  trainedS: number;
  startedAt: string;
  data?: Record<string, unknown>;
  candidate?: string;
  /** train.py's pid while it runs: a resume after the CLI itself was killed stops the orphan first. */
  trainPid?: number;
}

export type TrainEvent =
  | { type: 'phase'; phase: Phase; detail: string }
  | { type: 'warning'; message: string }
  | {
      type: 'progress';
      epoch: number;
      epochs: number;
      iter: number;
      iters: number;
      loss: number;
      etaS: number;
    }
  | { type: 'epoch'; epoch: number; loss: number; valMap50: number }
  | { type: 'done'; candidate: string; card: ModelCard };

export interface TrainDeps {
  dataDir: string;
  storeId: string;
  python: string;
  /** Whether `traycheck dataset` takes --sprites (the photo-real renderer). */
  datasetHasSprites: boolean;
  onEvent(e: TrainEvent): void;
  now?: () => Date;
}

/** train.py --new-class-lr when the store's new labels are trained (see the train phase). */
const NEW_CLASS_LR = 10;
const BASE_CKPT = (): string => projectPath('models', 'checkpoints', 'traycheck-det-v3.7.pt');
const BASE_MODEL = (): string => projectPath('models', 'traycheck-det.onnx');
/** pack.mjs's --imgsz for a model's input size (its default, 224x384, when the model does not say). */
function packSize(model: string): string[] {
  const size = modelMeta(model).imgsz;
  return size ? ['--imgsz', `${size[0]}x${size[1]}`] : [];
}
const stateFile = (dataDir: string): string => join(teachDir(dataDir), 'train', 'state.json');

export function readTrainState(dataDir: string): TrainState | null {
  const f = stateFile(dataDir);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as TrainState) : null;
}

export function newTrainState(dataDir: string, params: TrainParams, now: Date): TrainState {
  const run = `run-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
  const state: TrainState = { run, phase: 'render', params, trainedS: 0, startedAt: now.toISOString() };
  mkdirSync(join(teachDir(dataDir), 'train'), { recursive: true });
  writeJsonAtomic(stateFile(dataDir), state);
  return state;
}

/** Runs (or resumes) the phases; `current` receives each running step so a signal can stop it. */
export async function train(
  deps: TrainDeps,
  state: TrainState,
  current: (s: Step | null) => void,
): Promise<TrainState> {
  const { dataDir } = deps;
  const ws = join(teachDir(dataDir), 'train', state.run);
  const save = (): void => writeJsonAtomic(stateFile(dataDir), state);
  const step = async (s: Step): Promise<void> => {
    current(s);
    try {
      await s.done;
    } finally {
      current(null);
    }
  };
  const p = state.params;
  const runName = `teach-${deps.storeId}-${state.run}`;

  if (state.phase === 'render') {
    rmSync(join(ws, 'data'), { recursive: true, force: true });
    mkdirSync(ws, { recursive: true });
    const args = [
      'dataset',
      '--out',
      join(ws, 'data'),
      '--count',
      String(p.frames),
      '--seed',
      String(p.seed),
      '--val',
      '0.1',
    ];
    const sprites = spriteFolder(deps, BASE_MODEL(), ws);
    if (sprites) {
      args.push('--sprites', sprites.dir);
      if (sprites.newLabels.length) args.push('--new-labels', sprites.newLabels.join(','));
    }
    if (sprites && p.photos) args.push('--photos', p.photos);
    else if (sprites)
      deps.onEvent({
        type: 'warning',
        message:
          'no photo library (--photos; tools/train/photolib/fetch.sh): sprites are pasted on drawn counters, without real backgrounds or real negatives',
      });
    deps.onEvent({
      type: 'phase',
      phase: 'render',
      detail: `rendering ${p.frames} frames${sprites ? " with the store's sprites" : ''}${sprites?.newLabels.length ? ` (new: ${sprites.newLabels.join(', ')})` : ''}`,
    });
    await step(runStep('dataset', process.execPath, [cliFile(), ...args], () => undefined));
    const frames = addStoreFrames(dataDir, join(ws, 'data'));
    state.data = {
      renderedFrames: p.frames,
      sprites: countSprites(dataDir),
      spritesUsed: Boolean(sprites),
      newLabels: sprites?.newLabels ?? [],
      storeFrames: frames,
    };
    state.phase = 'pack';
    save();
  }
  if (state.phase === 'pack') {
    deps.onEvent({ type: 'phase', phase: 'pack', detail: 'packing frames for training' });
    rmSync(join(ws, 'pack'), { recursive: true, force: true });
    await step(
      runStep(
        'pack',
        process.execPath,
        [
          projectPath('tools', 'train', 'pack.mjs'),
          '--data',
          join(ws, 'data'),
          '--out',
          join(ws, 'pack'),
          '--splits',
          'train,val',
          // At the running model's input size: a candidate of another size is refused at promotion.
          ...packSize(BASE_MODEL()),
        ],
        () => undefined,
      ),
    );
    state.phase = 'train';
    save();
  }
  if (state.phase === 'train') {
    const runDir = projectPath('tools', 'train', 'runs', runName);
    // A run stopped before its first checkpoint trains again whatever the budget says, briefly:
    // export needs weights.
    const checkpoint = existsSync(join(runDir, 'last.pt'));
    const leftMin = checkpoint
      ? p.minutes - state.trainedS / 60
      : Math.max(p.minutes - state.trainedS / 60, 0.25);
    if (leftMin > 0.05) {
      deps.onEvent({
        type: 'phase',
        phase: 'train',
        detail: `fine-tuning for at most ${leftMin.toFixed(2)} min on ${p.threads} thread(s)`,
      });
      await stopOrphan(state.trainPid);
      const spent = state.trainedS;
      // The budget counts training, from train.py's "train N val M ..." line (data loaded, model
      // built): python's start-up on a loaded box is not training time.
      let t0: number | null = null;
      const elapsedS = (): number => (t0 === null ? 0 : (Date.now() - t0) / 1000);
      const timer = setInterval(() => {
        state.trainedS = spent + elapsedS();
        save();
      }, 5000);
      try {
        const args = [
          projectPath('tools', 'train', 'train.py'),
          '--data',
          join(ws, 'pack'),
          '--name',
          runName,
          '--epochs',
          String(p.epochs),
          '--batch',
          '16',
          '--lr',
          '1e-3',
          '--seed',
          String(p.seed),
          '--threads',
          String(p.threads),
          '--init',
          BASE_CKPT(),
          '--budget-min',
          leftMin.toFixed(3),
        ];
        // A new class starts from an empty head: its rows learn at ten times the LR while the known
        // classes' rows are held. Hot dog AP@0.5 after 2 minutes on one thread: 0.08 at 1x, 0.85
        // at 10x with the known rows held (0.66 with 3e-4 and 30x); base classes' mAP -0.013.
        const added = state.data?.newLabels;
        if (Array.isArray(added) && added.length) args.push('--new-class-lr', String(NEW_CLASS_LR));
        const onLine = (l: string): void => {
          if (t0 === null && l.startsWith('train ')) t0 = Date.now();
          progressLine(l, p, leftMin * 60 - elapsedS(), (e) => deps.onEvent(e));
        };
        const s = runStep('train.py', deps.python, args, onLine, { OMP_NUM_THREADS: String(p.threads) });
        state.trainPid = s.child.pid;
        save();
        await step(s);
      } finally {
        clearInterval(timer);
        state.trainedS = spent + elapsedS();
        delete state.trainPid;
        save();
      }
    }
    state.phase = 'export';
    save();
  }
  if (state.phase === 'export') {
    deps.onEvent({ type: 'phase', phase: 'export', detail: 'exporting the candidate model' });
    const dir = join(teachDir(dataDir), 'candidates', state.run);
    mkdirSync(dir, { recursive: true });
    const model = join(dir, 'model.onnx');
    // best.pt is written at the first validation; a run stopped before one has only last.pt.
    const best = projectPath('tools', 'train', 'runs', runName, 'best.pt');
    const ckpt = existsSync(best) ? best : projectPath('tools', 'train', 'runs', runName, 'last.pt');
    const version = `traycheck-det ${deps.storeId} ${state.run}`;
    await step(
      runStep(
        'export.py',
        deps.python,
        [projectPath('tools', 'train', 'export.py'), '--ckpt', ckpt, '--out', model, '--version', version],
        () => undefined,
      ),
    );
    const base = modelMeta(BASE_MODEL());
    const card: ModelCard = {
      sha256: sha256File(model),
      source: model,
      version,
      labels: modelMeta(model).labels,
      base: { sha256: base.sha256, version: base.version },
      data: {
        ...state.data,
        epochs: p.epochs,
        trainedMinutes: Math.round((state.trainedS / 60) * 10) / 10,
        threads: p.threads,
      },
      createdAt: (deps.now?.() ?? new Date()).toISOString(),
    };
    writeJsonAtomic(join(dir, 'card.json'), card);
    state.candidate = model;
    state.phase = 'done';
    save();
    deps.onEvent({ type: 'done', candidate: model, card });
  }
  return state;
}

const ITER = /^ep (\d+) it (\d+)\/(\d+) loss ([\d.]+).* ([\d.]+)s\/it/;

/** train.py's output → progress events (its per-25-iteration lines and per-epoch JSON). */
function progressLine(
  line: string,
  p: TrainParams,
  budgetLeftS: number,
  emit: (e: TrainEvent) => void,
): void {
  const m = ITER.exec(line);
  if (m) {
    const [epoch, iter, iters] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // Whichever ends first: the epochs left at the current pace, or the wall-clock budget.
    const itersLeft = (p.epochs - epoch - 1) * iters + (iters - iter);
    const etaS = Math.min(budgetLeftS, itersLeft * Number(m[5]));
    emit({
      type: 'progress',
      epoch,
      epochs: p.epochs,
      iter,
      iters,
      loss: Number(m[4]),
      etaS: Math.max(0, Math.round(etaS)),
    });
    return;
  }
  if (line.startsWith('{')) {
    try {
      // Python writes NaN for a class without objects in the val split; JSON has no NaN.
      const r = JSON.parse(line.replace(/\bNaN\b/g, 'null')) as {
        epoch: number;
        loss: number;
        val_map50: number;
      };
      emit({ type: 'epoch', epoch: r.epoch, loss: r.loss, valMap50: r.val_map50 });
    } catch {
      // Not an epoch record.
    }
  }
}
