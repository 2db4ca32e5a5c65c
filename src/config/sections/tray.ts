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
      description:
        'An item after the counted ones scoring within this of the threshold on any settle frame may be real: a shortage of its label is uncertain (no alert). A counted item near the threshold is judged by its mean (countMargin).',
    }),
    countShare: Type.Number({
      default: 0.75,
      minimum: 0.5,
      maximum: 1,
      description:
        'A voted count seen on fewer than this share of the settle window frames is uncertain (no alert on it). 1: any flicker makes the label uncertain.',
    }),
    countMargin: Type.Number({
      default: 0.1,
      minimum: 0,
      maximum: 0.6,
      description:
        'The weakest counted item of a label must average at least this far above the threshold over the settle window (0 on frames without it), or the count is uncertain: a phantom among clutter scores ~0.4-0.55, most real items 0.8 and more (model 3.4 with detector.flipTest, 800 synthetic hard renders: counted boxes at 0.5-0.6 are real 85 % of the time, at 0.4-0.5 66 %; without flipTest 82 % and 46 %, where 0.15 is the value measured).',
    }),
    faintDoubt: Type.Number({
      default: 0.2,
      minimum: 0,
      maximum: 0.99,
      description:
        'The next item of a label, counted or faint (detector.faintScore), averaging at least this score over the settle window (0 on frames without it) makes a shortage of that label uncertain (no alert): an item half hidden under others is seen faintly on most frames. 0 = off.',
    }),
    faintMaxCover: Type.Number({
      default: 0.65,
      minimum: 0.05,
      maximum: 1,
      description:
        "A faint candidate is not evidence when one counted item on its tray covers at least this share of its box: it is that item's runner-up label or a second box on it (the model boxes the visible part of a half-hidden item, mostly clear of what lies on it). 1: every faint candidate counts as evidence.",
    }),
    straddleCover: Type.Number({
      default: 0.8,
      minimum: 0,
      maximum: 1,
      description:
        "A counted item lying at least this share within two or more higher-scoring items of its own label, on at least half of a tray's settle frames, may be a second box across them (two fries boxes side by side, one lying on its side): an extra of that label is uncertain (no alert), a shortage is not excused. 0 = off.",
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
    handStillMs: Type.Integer({
      default: 3000,
      minimum: 0,
      maximum: 60000,
      description:
        'A "hand" that stays in the same place over a tray this long is not a hand (hands move; the model misreads an item in dim light): the tray is counted as it is. 0: a hand always keeps the tray from settling.',
    }),
    hiddenHoldMs: Type.Integer({
      default: 3000,
      minimum: 0,
      maximum: 60000,
      description:
        'A tray that shows fewer items than it settled with, with no hand over it since and a hand over the counter elsewhere (an arm reaching across to another tray hides items), keeps its settled contents this long before its frames count again. 0: every frame counts at once.',
    }),
    swapMissedFrames: Type.Integer({
      default: 3,
      minimum: 1,
      maximum: 100,
      description:
        'A tray missing on this many frames in a row that reappears at the same spot and settles with other contents is a new tray (the previous one was served).',
    }),
    sameSpotLayoutShift: Type.Number({
      default: 0.08,
      minimum: 0,
      maximum: 1,
      description:
        "A tray back at its spot after swapMissedFrames with the same contents is a new tray (the next identical order) when its items moved by more than this fraction of the tray diagonal on average (on the tray, from its box's centre, when the box is seen both times at about the same size; else in the frame); with the box seen both times, items within half of it on the tray are the same tray wherever it stands, and between half and all of it the frame shift must be within it too; a tray lifted and put back keeps its layout. 0: always a new tray.",
    }),
    inferMinItems: Type.Integer({
      default: 3,
      minimum: 0,
      maximum: 50,
      description:
        'Items in the zone that no tray box owns and that lie close together form an inferred tray when at least this many (a crowded tray hides the tray itself); 0 disables.',
    }),
    inferJoinFactor: Type.Number({
      default: 1.2,
      minimum: 0.5,
      maximum: 5,
      description:
        'Two loose items belong to the same inferred tray when their centres are closer than this many times the larger item diagonal.',
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
    jointLinkWindowMs: Type.Integer({
      default: 3000,
      minimum: 0,
      maximum: 60000,
      description:
        'Trays on one camera that settle within this many ms of each other, neither matching its order, exchange orders when that lowers the total number of differing items (0: off).',
    }),
  },
  { additionalProperties: false, default: {} },
);
