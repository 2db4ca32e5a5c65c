import { Type } from '@sinclair/typebox';

export const TraySection = Type.Object(
  {
    settleWindowMs: Type.Integer({
      default: 1000,
      minimum: 100,
      maximum: 30000,
      description: 'Counts must be unchanged this long to settle.',
    }),
    settleMinFrames: Type.Integer({
      default: 3,
      minimum: 1,
      maximum: 100,
      description: 'And seen on at least this many detection frames.',
    }),
    departAfterMs: Type.Integer({
      default: 1500,
      minimum: 100,
      maximum: 60000,
      description: 'A tray unseen this long has departed.',
    }),
    uncertainMargin: Type.Number({
      default: 0.1,
      minimum: 0,
      maximum: 0.5,
      description: 'Scores within this of the threshold make a label uncertain.',
    }),
    trayLabel: Type.String({ default: 'tray', description: 'Model label of the tray itself.' }),
    handLabel: Type.String({
      default: 'hand',
      description: 'Model label of a hand: a hand over a tray keeps it from settling.',
    }),
    handOverlap: Type.Number({
      default: 0.1,
      minimum: 0,
      maximum: 1,
      description:
        'A hand box with more than this fraction of its area inside a tray box counts as over the tray.',
    }),
    swapMissedFrames: Type.Integer({
      default: 3,
      minimum: 1,
      maximum: 100,
      description:
        'A tray missing on this many frames in a row that reappears at the same spot and settles with other contents is a new tray (the previous one was served).',
    }),
    matchIou: Type.Number({
      default: 0.3,
      minimum: 0.05,
      maximum: 0.95,
      description: 'Tray boxes on consecutive frames with at least this IoU are the same tray.',
    }),
    matchCentreDist: Type.Number({
      default: 0.5,
      minimum: 0,
      maximum: 2,
      description:
        'Or whose centres are closer than this fraction of the tray diagonal (a tray slid along the counter).',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const VerifySection = Type.Object(
  {
    bestMatchWindowMin: Type.Number({
      default: 30,
      minimum: 1,
      maximum: 1440,
      description: 'Open orders placed within this many minutes are best-match candidates.',
    }),
    maxBestMatchDiff: Type.Integer({
      default: 3,
      minimum: 0,
      maximum: 100,
      description: 'A best match differing by more items than this is not linked (verdict unlinked).',
    }),
  },
  { additionalProperties: false, default: {} },
);
