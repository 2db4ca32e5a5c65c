import { Type } from '@sinclair/typebox';

export const StorageSection = Type.Object(
  {
    dataDir: Type.String({
      default: './data',
      description:
        'Database, snapshots and broker state live here (relative to the config file or absolute).',
    }),
    snapshotRetentionDays: Type.Number({
      default: 14,
      minimum: 0.01,
      maximum: 3650,
      description: 'Snapshots older than this are deleted.',
    }),
    snapshotMaxBytes: Type.Integer({
      default: 2_000_000_000,
      minimum: 1_000_000,
      description: 'Snapshots beyond this total are deleted, oldest first.',
    }),
    snapshotEveryVerdict: Type.Boolean({
      default: true,
      description:
        'Keep a snapshot of every verified tray, OK ones too (to settle a customer dispute); false: mismatches only. Retention bounds both.',
    }),
    snapshotCropToTray: Type.Boolean({
      default: true,
      description:
        'Keep the tray with a 25 % margin, scaled up to at least 640 px wide, instead of the whole frame: what is on the tray reads on a tablet. False: the whole frame (or zone).',
    }),
    snapshotZoneOnly: Type.Boolean({
      default: false,
      description: 'Privacy: keep only the check zone in snapshots.',
    }),
    snapshotJpegQuality: Type.Integer({
      default: 80,
      minimum: 30,
      maximum: 100,
      description: 'Snapshot JPEG quality.',
    }),
    verdictRetentionDays: Type.Number({
      default: 90,
      minimum: 1,
      maximum: 3650,
      description: 'Verdicts, alerts and order history older than this are deleted.',
    }),
    diskReserveBytes: Type.Integer({
      default: 500_000_000,
      minimum: 0,
      description: 'Below this free space, snapshot writing pauses (verification continues).',
    }),
    retentionIntervalMin: Type.Number({
      default: 10,
      minimum: 0.1,
      maximum: 1440,
      description: 'How often retention runs (also at start).',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const LoggingSection = Type.Object(
  {
    level: Type.Union(
      [
        Type.Literal('trace'),
        Type.Literal('debug'),
        Type.Literal('info'),
        Type.Literal('warn'),
        Type.Literal('error'),
        Type.Literal('fatal'),
      ],
      { default: 'info', description: 'Minimum log level.' },
    ),
    pretty: Type.Union([Type.Literal('auto'), Type.Boolean()], {
      default: 'auto',
      description: 'Human-readable logs; auto = when stdout is a TTY (JSON for the journal).',
    }),
  },
  { additionalProperties: false, default: {} },
);
