// `traycheck detect`: run the detector on image files and print what it finds (table or JSON),
// optionally writing annotated JPEGs.
import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { writeAnnotated } from '../../detect/annotate.js';
import { isFamily } from '../../detect/decoders/index.js';
import { decodeImage, detectImage } from '../../detect/image.js';
import { createDetector, detectorConfig, FAMILIES } from '../../detect/index.js';
import { silentLogger, type Logger } from '../../log.js';
import type { Detection } from '../../types.js';
import { numberOption, requireString, UsageError, type Command } from '../command.js';

export interface DetectCommandArgs {
  model: string;
  family?: string;
  labels?: string;
  threshold?: number;
  images: string[];
  json: boolean;
  annotate?: string;
}

interface ImageResult {
  file: string;
  width: number;
  height: number;
  inferenceMs: number;
  detections: Detection[];
  annotated?: string;
  error?: string;
}

const round = (v: number, digits: number): number => Number(v.toFixed(digits));

function table(r: ImageResult): string {
  if (r.error) return `${r.file}: error: ${r.error}\n`;
  const head = `${r.file}  ${r.width}x${r.height}  ${r.detections.length} detection(s)  ${r.inferenceMs.toFixed(1)} ms\n`;
  const rows = r.detections.map(
    (d) =>
      `  ${d.label.padEnd(16)} ${d.score.toFixed(2).padStart(5)}  [${d.box.map((v) => Math.round(v).toString().padStart(5)).join(' ')}]\n`,
  );
  const tail = r.annotated ? `  annotated: ${r.annotated}\n` : '';
  return head + rows.join('') + tail;
}

/**
 * Returns the exit code: 0 all images done, 1 model or image failure, 2 bad arguments.
 * Failures go to `err`, so `--json` output on `out` stays one valid document (or nothing).
 */
export async function runDetectCommand(
  args: DetectCommandArgs,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream = process.stderr,
  log: Logger = silentLogger(),
): Promise<number> {
  if (args.family !== undefined && args.family !== 'auto' && !isFamily(args.family)) {
    err.write(`error: --family must be one of auto, ${FAMILIES.join(', ')}; got "${args.family}"\n`);
    return 2;
  }
  if (args.threshold !== undefined && !(args.threshold > 0 && args.threshold < 1)) {
    err.write(`error: --threshold must be between 0 and 1, got ${args.threshold}\n`);
    return 2;
  }
  if (args.images.length === 0) {
    err.write('error: give at least one image file\n');
    return 2;
  }
  const config = detectorConfig({
    model: args.model,
    family: args.family,
    labelsFile: args.labels,
    scoreThreshold: args.threshold,
  });
  if (args.annotate) {
    try {
      await mkdir(args.annotate, { recursive: true });
    } catch (e) {
      err.write(`error: cannot create ${args.annotate}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  const detector = createDetector({ config, log });
  try {
    await detector.start();
  } catch (e) {
    err.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
  const results: ImageResult[] = [];
  try {
    for (const [i, file] of args.images.entries()) {
      let result: ImageResult;
      try {
        const { rgb, width, height } = await decodeImage(file);
        const fd = await detectImage(detector, { rgb, width, height }, i);
        const detections = fd.detections.map((d) => ({
          label: d.label,
          score: round(d.score, 4),
          box: d.box.map((v) => round(v, 1)) as Detection['box'],
        }));
        result = { file, width, height, inferenceMs: round(fd.inferenceMs, 2), detections };
        if (args.annotate) {
          result.annotated = join(args.annotate, `${basename(file, extname(file))}.jpg`);
          await writeAnnotated(result.annotated, rgb, width, height, detections);
        }
      } catch (e) {
        result = { file, width: 0, height: 0, inferenceMs: 0, detections: [], error: (e as Error).message };
      }
      results.push(result);
      if (!args.json) out.write(table(result));
    }
    if (args.json) {
      const info = detector.info();
      const model = {
        path: info.path,
        sha256: info.sha256,
        family: info.family,
        imgsz: info.imgsz,
        version: info.version,
        labels: info.labels,
      };
      out.write(JSON.stringify({ model, images: results }, null, 2) + '\n');
    }
  } finally {
    await detector.stop();
  }
  return results.some((r) => r.error) ? 1 : 0;
}

export const detectCommand: Command = {
  name: 'detect',
  summary: 'run a model on images and print detections (JSON or table), optionally annotated',
  usage:
    'detect --model <file.onnx> [--family auto|traycheck|yolox|yolov8|e2e] [--labels FILE] [--threshold T] [--json] [--annotate DIR] IMAGE...',
  positionals: true,
  options: {
    model: {
      type: 'string',
      short: 'm',
      valueName: 'file',
      description: 'ONNX model (default: the shipped models/traycheck-det.onnx).',
    },
    family: {
      type: 'string',
      valueName: 'name',
      description: 'Output decoder (default: from metadata or output shape).',
    },
    labels: {
      type: 'string',
      valueName: 'file',
      description: 'JSON array of class names for models without metadata.',
    },
    threshold: { type: 'string', valueName: 'score', description: 'Minimum score (default 0.4).' },
    json: { type: 'boolean', description: 'Print one JSON document.' },
    annotate: {
      type: 'string',
      valueName: 'dir',
      description: 'Write annotated JPEGs with boxes to this folder.',
    },
  },
  run(args) {
    if (args.positionals.length === 0) throw new UsageError('give at least one image file');
    const threshold = args.values.threshold === undefined ? undefined : numberOption(args, 'threshold', 0.4);
    return runDetectCommand(
      {
        model: args.values.model === undefined ? 'models/traycheck-det.onnx' : requireString(args, 'model'),
        family: args.values.family as string | undefined,
        labels: args.values.labels as string | undefined,
        threshold,
        images: args.positionals,
        json: Boolean(args.values.json),
        annotate: args.values.annotate as string | undefined,
      },
      process.stdout,
      process.stderr,
    );
  },
};
