// Loads and checks an ONNX detector: file → sha256, metadata, onnxruntime session, input size,
// labels, output family and preprocessing. Every problem becomes a ModelError naming the file.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import type { DetectorConfig } from '../config/schema.js';
import { DECODERS, resolveFamily, type Decoder, type Family } from './decoders/index.js';
import { FLIP_STRIDE, mirrorIndex } from './flip.js';
import { ModelError } from './errors.js';
import { parseImgsz, parseNames, readLabelsFile, applyAliases } from './labels.js';
import type { PreprocessSpec } from './letterbox.js';
import { readOnnxMeta, type OnnxModelMeta } from './onnx-meta.js';
import { parseSecondOpinion, type SecondOpinionMeta } from './second-opinion.js';

/** Name of the optional second output: YOLOX-nano's COCO detections (see second-opinion.ts). */
export const SECOND_OPINION_OUTPUT = 'coco';

export interface ModelInfo {
  path: string;
  sha256: string;
  family: Family;
  /** Labels as the detector reports them (aliases applied), index = class id. */
  labels: string[];
  /** Labels as the model names them. */
  modelLabels: string[];
  labelsSource: 'metadata' | 'file' | 'generic';
  /** Model input [height, width]. */
  imgsz: [number, number];
  version: string | null;
  inputName: string;
  outputName: string;
  outputDims: number[];
  preprocess: PreprocessSpec;
  threads: number;
  producer: string;
  /** detector.flipTest as applied to this model: the mirrored look averaged in. */
  flipTest: boolean;
}

/** What model loading logs: one warning (no labels). A pino logger is one. */
export interface ModelLog {
  warn(data: Record<string, unknown>, msg: string): void;
}

export interface LoadedModel {
  info: ModelInfo;
  session: ort.InferenceSession;
  decoder: Decoder;
  /** The model's second head (output `coco`), when it has one. */
  secondOpinion: SecondOpinionMeta | null;
}

function preprocessFromMetadata(
  file: string,
  base: PreprocessSpec,
  meta: Record<string, string>,
): PreprocessSpec {
  const spec = { ...base };
  const lb = meta.letterbox?.trim().toLowerCase();
  if (lb !== undefined) {
    if (lb === 'center' || lb === 'centre') spec.letterbox = 'center';
    else if (lb === 'topleft' || lb === 'top-left') spec.letterbox = 'topleft';
    else throw new ModelError(file, `metadata letterbox "${lb}" is neither "center" nor "topleft"`);
  }
  const norm = meta.normalize?.trim().toLowerCase();
  if (norm !== undefined) {
    if (norm.includes('0..255')) spec.scale = 1;
    else if (norm.includes('0..1')) spec.scale = 1 / 255;
    else throw new ModelError(file, `metadata normalize "${norm}" names no range ("0..1" or "0..255")`);
    if (norm.includes('bgr')) spec.channels = 'bgr';
    else if (norm.includes('rgb')) spec.channels = 'rgb';
  }
  return spec;
}

async function readModelFile(file: string): Promise<{ bytes: Buffer; meta: OnnxModelMeta; sha256: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelError(
      file,
      code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    return { bytes, meta: readOnnxMeta(bytes), sha256 };
  } catch (err) {
    throw new ModelError(file, `not a valid ONNX model (${(err as Error).message})`, { cause: err });
  }
}

function inputSize(
  file: string,
  dims: ReadonlyArray<number | string>,
  meta: Record<string, string>,
  config: DetectorConfig,
): [number, number] {
  const fromMeta = parseImgsz(meta.imgsz);
  const h = dims[2];
  const w = dims[3];
  if (typeof h === 'number' && typeof w === 'number' && h > 0 && w > 0) {
    if (fromMeta && (fromMeta[0] !== h || fromMeta[1] !== w)) {
      throw new ModelError(
        file,
        `metadata imgsz [${fromMeta.join(', ')}] contradicts the input shape [${dims.join(', ')}]`,
      );
    }
    return [h, w];
  }
  const size: [number, number] | null =
    fromMeta ?? (config.inputSize ? [config.inputSize[0], config.inputSize[1]] : null);
  if (!size)
    throw new ModelError(
      file,
      `input shape [${dims.join(', ')}] is dynamic and there is no imgsz metadata; set detector.inputSize`,
    );
  return size;
}

export async function loadModel(config: DetectorConfig, file: string, log: ModelLog): Promise<LoadedModel> {
  const { bytes, meta, sha256 } = await readModelFile(file);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: config.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionProviders: ['cpu'],
      // Worker threads that spin between runs burn a core for nothing at 5 fps: measured 37-41 ms
      // of CPU per detection spinning vs 9-10 ms without, and the run itself is not slower.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  } catch (err) {
    throw new ModelError(file, `onnxruntime cannot load it: ${(err as Error).message}`, { cause: err });
  }
  try {
    return await inspect(config, file, log, session, meta, sha256);
  } catch (err) {
    await session.release();
    throw err;
  }
}

async function inspect(
  config: DetectorConfig,
  file: string,
  log: ModelLog,
  session: ort.InferenceSession,
  meta: OnnxModelMeta,
  sha256: string,
): Promise<LoadedModel> {
  const md = meta.metadata;
  const input = session.inputMetadata[0];
  const outputName = session.outputNames[0];
  if (session.inputNames.length !== 1 || !input)
    throw new ModelError(
      file,
      `expected one image input, found ${session.inputNames.length} (${session.inputNames.join(', ')})`,
    );
  if (!outputName) throw new ModelError(file, 'the model has no output');
  if (!input.isTensor || input.type !== 'float32')
    throw new ModelError(file, `input "${input.name}" must be a float32 tensor`);
  const dims = input.shape;
  if (dims.length !== 4 || (typeof dims[1] === 'number' && dims[1] !== 3)) {
    throw new ModelError(file, `input "${input.name}" has shape [${dims.join(', ')}], expected [1, 3, H, W]`);
  }
  const [inputH, inputW] = inputSize(file, dims, md, config);

  let modelLabels: string[] | null = null;
  let labelsSource: ModelInfo['labelsSource'] = 'generic';
  if (config.labelsFile) {
    try {
      modelLabels = await readLabelsFile(config.labelsFile);
    } catch (err) {
      throw new ModelError(file, (err as Error).message, { cause: err });
    }
    labelsSource = 'file';
  } else if (md.names !== undefined) {
    modelLabels = parseNames(md.names);
    if (!modelLabels || modelLabels.length === 0)
      throw new ModelError(file, `metadata names is not a list of class names: ${md.names.slice(0, 80)}`);
    labelsSource = 'metadata';
  }

  // A first run checks the graph end to end and gives the real output shape (dynamic axes).
  let outputDims: number[];
  let secondDims: readonly number[] | null = null;
  try {
    const probe = new ort.Tensor('float32', new Float32Array(3 * inputH * inputW).fill(0.5), [
      1,
      3,
      inputH,
      inputW,
    ]);
    const result = await session.run({ [input.name]: probe });
    const out = result[outputName];
    if (!out || out.type !== 'float32')
      throw new Error(`output "${outputName}" is ${out?.type ?? 'missing'}, expected float32`);
    outputDims = [...out.dims];
    secondDims = result[SECOND_OPINION_OUTPUT]?.dims ?? null;
  } catch (err) {
    throw new ModelError(
      file,
      `test inference on a [1, 3, ${inputH}, ${inputW}] input failed: ${(err as Error).message}`,
      { cause: err },
    );
  }

  let family: Family;
  try {
    family = resolveFamily({
      configured: config.family,
      metadata: md,
      outputDims,
      numClasses: modelLabels?.length ?? null,
      inputW,
      inputH,
    });
  } catch (err) {
    throw new ModelError(file, (err as Error).message, { cause: err });
  }
  const decoder = DECODERS[family];
  const nc = decoder.classesFromShape(outputDims, modelLabels?.length ?? null, inputW, inputH);
  if (typeof nc === 'string') throw new ModelError(file, `${family} decoder: ${nc}`);
  // flipTest 'auto': on for our own model's layout, off for any other; true: refused for any other.
  const flippable = family === 'traycheck' && mirrorIndex(inputW, inputH, outputDims[1] ?? 0) !== null;
  if (config.flipTest === true && !flippable)
    throw new ModelError(
      file,
      `detector.flipTest needs our own model (family traycheck, one stride-${FLIP_STRIDE} grid); ` +
        `this one is ${family} with output [${outputDims.join(', ')}] for a ${inputW}x${inputH} input. ` +
        "Set detector.flipTest to 'auto' or false for it.",
    );
  if (!modelLabels) {
    log.warn(
      { model: file, classes: nc },
      'model has no names metadata and no detector.labelsFile: labels are class0, class1, ...',
    );
    modelLabels = Array.from({ length: nc }, (_, i) => `class${i}`);
  }

  const secondOpinion = secondOpinionOf(file, md, secondDims, modelLabels);
  const info: ModelInfo = {
    path: file,
    sha256,
    family,
    labels: applyAliases(modelLabels, config.aliases),
    modelLabels,
    labelsSource,
    imgsz: [inputH, inputW],
    version: md.version ?? null,
    inputName: input.name,
    outputName,
    outputDims,
    preprocess: preprocessFromMetadata(file, decoder.preprocess, md),
    threads: config.threads,
    producer: [meta.producerName, meta.producerVersion].filter(Boolean).join(' '),
    flipTest: config.flipTest !== false && flippable,
  };
  return { info, session, decoder, secondOpinion };
}

/** The second head's meaning (metadata) checked against its output; both or neither. */
function secondOpinionOf(
  file: string,
  md: Record<string, string>,
  dims: readonly number[] | null,
  modelLabels: readonly string[],
): SecondOpinionMeta | null {
  const text = md.second_opinion;
  if (text === undefined && dims === null) return null;
  if (text === undefined)
    throw new ModelError(
      file,
      `output "${SECOND_OPINION_OUTPUT}" has no second_opinion metadata saying what it means`,
    );
  if (dims === null)
    throw new ModelError(
      file,
      `metadata second_opinion is set but there is no output "${SECOND_OPINION_OUTPUT}"`,
    );
  const meta = parseSecondOpinion(file, text, modelLabels);
  if (dims.length !== 3 || dims[0] !== 1 || dims[2] !== 4 + meta.names.length)
    throw new ModelError(
      file,
      `output "${SECOND_OPINION_OUTPUT}" is [${dims.join(', ')}], expected [1, N, ${4 + meta.names.length}]`,
    );
  return meta;
}
