import { Type } from '@sinclair/typebox';

export const TeachSection = Type.Object(
  {
    capture: Type.Boolean({
      default: false,
      description:
        "Keep a sample of settled-tray frames from the store's cameras, and the frames behind every alert staff mark a false alarm, in <storage.dataDir>/teach/frames/captured/, pre-labelled by the running model, for labelling on /teach and training on the box. Off by default: frames show staff's hands and the counter.",
    }),
    captureEveryNthTray: Type.Integer({
      default: 5,
      minimum: 1,
      maximum: 1000,
      description: 'Keep the frame of one settled tray in this many.',
    }),
    captureMaxFrames: Type.Integer({
      default: 2000,
      minimum: 1,
      maximum: 1_000_000,
      description: 'Captured frames beyond this number are deleted, oldest first.',
    }),
    captureMaxBytes: Type.Integer({
      default: 500_000_000,
      minimum: 1_000_000,
      description: 'Captured frames beyond this total size are deleted, oldest first.',
    }),
    captureRetentionDays: Type.Number({
      default: 30,
      minimum: 0.01,
      maximum: 3650,
      description: 'Captured frames older than this are deleted.',
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'The store teaching traycheck its menu on the box (docs/operations.md).',
  },
);
