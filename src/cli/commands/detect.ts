import { runDetectCommand } from '../../detect/cli.js';
import { numberOption, requireString, UsageError, type Command } from '../command.js';

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
