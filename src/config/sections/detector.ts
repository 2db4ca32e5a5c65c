import { Type } from '@sinclair/typebox';

export const DetectorSection = Type.Object(
  {
    model: Type.String({
      default: 'models/traycheck-det.onnx',
      description: 'Path to the ONNX model (relative to the config file or absolute).',
    }),
    family: Type.Union(
      [
        Type.Literal('auto'),
        Type.Literal('traycheck'),
        Type.Literal('yolox'),
        Type.Literal('yolov8'),
        Type.Literal('e2e'),
      ],
      {
        default: 'auto',
        description:
          'Output decoder; auto reads the model metadata (task/family) or guesses from the output shape.',
      },
    ),
    labelsFile: Type.Optional(
      Type.String({
        description: 'Sidecar JSON array of class names, for models without a names metadata entry.',
      }),
    ),
    threads: Type.Integer({
      default: 1,
      minimum: 1,
      maximum: 64,
      description:
        'onnxruntime intra-op threads. 1 on a 2-core box: a second thread shortens one inference by 0–25 % but costs 25–50 % more CPU per frame and takes the core ffmpeg and the daemon need (bench/README.md).',
    }),
    scoreThreshold: Type.Number({
      default: 0.4,
      minimum: 0.01,
      maximum: 0.99,
      description: 'Minimum detection score.',
    }),
    classThresholds: Type.Record(Type.String(), Type.Number({ minimum: 0.01, maximum: 0.99 }), {
      default: {},
      description: 'Per-label score thresholds overriding scoreThreshold.',
    }),
    nmsIou: Type.Number({
      default: 0.45,
      minimum: 0.05,
      maximum: 0.95,
      description: 'IoU above which class-wise NMS drops the weaker box.',
    }),
    rivals: Type.Object(
      {
        iou: Type.Number({
          default: 0.6,
          minimum: 0.05,
          maximum: 1,
          description:
            'Boxes of different labels overlapping at least this much are one object: the weaker label is dropped (1 = off, keep both).',
        }),
        scoreRatio: Type.Number({
          default: 0.7,
          minimum: 0,
          maximum: 1,
          description:
            "When the dropped label scored at least this share of the kept one, the kept detection is flagged uncertain: the verifier says 'uncertain' (no alert) instead of trusting a guess between two labels.",
        }),
      },
      {
        default: {},
        description:
          'One object, two labels: how the detector resolves labels that compete for the same box.',
      },
    ),
    secondOpinion: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          description:
            "Use the model's second head (YOLOX-nano's COCO detector, trained on real photographs) when it has one: it drops items it sees as something else (a clock), makes items uncertain it names otherwise or sees as food not on the menu, and adds menu items it sees where the main head saw nothing.",
        }),
        minScore: Type.Number({
          default: 0.5,
          minimum: 0.05,
          maximum: 0.99,
          description: 'Lowest second-opinion score that drops a detection (not food) or adds an item.',
        }),
        doubtScore: Type.Number({
          default: 0.3,
          minimum: 0.05,
          maximum: 0.99,
          description:
            'Lowest second-opinion score that makes a detection uncertain: it names another menu item, or food not on the menu.',
        }),
        iou: Type.Number({
          default: 0.45,
          minimum: 0.05,
          maximum: 0.95,
          description: 'IoU at which a second-opinion box and a detection are the same object.',
        }),
      },
      {
        default: {},
        description:
          'The second opinion of models that carry one (output "coco"); ignored by models without it.',
      },
    ),
    faintScore: Type.Number({
      default: 0.1,
      minimum: 0,
      maximum: 0.99,
      description:
        "Candidates scoring at least this but under their label's threshold are passed on as faint evidence: they never count, but an item seen faintly on most frames of a tray's settle window makes a shortage of its label uncertain (tray.faintDoubt). 0 = off.",
    }),
    flipTest: Type.Union([Type.Literal('auto'), Type.Boolean()], {
      default: 'auto',
      description:
        "Also run the model on the mirrored frame and average each candidate's box and scores with the plain look: fewer boxes on nothing (synthetic hard renders: 71 -> 47 in 800 frames), about twice the inference time. 'auto': on for our own model, off for any other; true: a model it cannot apply to is refused.",
    }),
    maxDetections: Type.Integer({
      default: 100,
      minimum: 1,
      maximum: 1000,
      description: 'Keep at most this many detections per frame (highest scores).',
    }),
    inputSize: Type.Optional(
      Type.Tuple(
        [Type.Integer({ minimum: 32, maximum: 4096 }), Type.Integer({ minimum: 32, maximum: 4096 })],
        {
          description:
            'Model input [height, width] for models with a dynamic input shape and no imgsz metadata.',
        },
      ),
    ),
    aliases: Type.Record(Type.String(), Type.String(), {
      default: {},
      description:
        'Model label → menu label, e.g. { sandwich: burger, cup: drink } for a generic COCO model.',
    }),
  },
  { additionalProperties: false, default: {} },
);
