// The frames behind an alert, kept (as JPEGs, in memory) while it is unresolved: the camera's
// frame when it opened and when its verdict changed. When staff mark it a false alarm they are
// written to teach/frames/captured/ with the model's pre-labels and reason "false-alarm" — the
// frames the model got wrong are the ones worth labelling. Other resolutions drop them.
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Alert, Detection, Frame, FrameDetections } from '../types.js';
import { frameStem, toJpeg, type KeepFrame } from './frame-card.js';

/** Unresolved alerts followed at once; the oldest is forgotten beyond this. */
const MAX_ALERTS = 50;
/** Frames kept per alert (its opening and its latest changes). */
const MAX_FRAMES_PER_ALERT = 3;

interface Kept {
  verdictId: number | undefined;
  seen: number;
  jpeg: Promise<Buffer>;
  width: number;
  height: number;
  detections: Detection[];
}

export function watchAlertFrames(deps: {
  bus: EventBus;
  latestFrame(cameraId: string): Frame | null;
  detections(cameraId: string): FrameDetections | undefined;
  /** Runs the work after the capture's other writes (stop() waits for it). */
  queue(work: () => Promise<void>): void;
  keep(frame: Omit<KeepFrame, 'dir' | 'labels'>): void;
  log: Logger;
  now: () => number;
}): () => void {
  const byAlert = new Map<number, Kept[]>();

  const remember = (a: Alert): void => {
    const list = byAlert.get(a.id) ?? [];
    const verdictId = a.verdict.id;
    // The same verdict again (snapshot attached, acknowledged): same frame, nothing to keep.
    if (list.some((k) => k.verdictId === verdictId)) return;
    const frame = deps.latestFrame(a.cameraId);
    if (!frame) return;
    // A copy: the camera may reuse its buffer before the encoder has read it.
    const copy = { ...frame, data: Buffer.from(frame.data) };
    const jpeg = toJpeg(copy);
    jpeg.catch(() => undefined); // reported when written
    list.push({
      verdictId,
      seen: deps.now(),
      jpeg,
      width: frame.width,
      height: frame.height,
      detections: deps.detections(a.cameraId)?.detections ?? [],
    });
    if (list.length > MAX_FRAMES_PER_ALERT) list.splice(1, 1); // keep the opening frame
    byAlert.delete(a.id);
    byAlert.set(a.id, list);
    if (byAlert.size > MAX_ALERTS) byAlert.delete(byAlert.keys().next().value as number);
  };

  const falseAlarm = async (a: Alert, list: Kept[]): Promise<void> => {
    const orderItems = Object.entries(a.verdict.expected)
      .filter(([, n]) => n > 0)
      .map(([label]) => label);
    for (const [i, k] of list.entries())
      deps.keep({
        stem: frameStem(k.seen, a.cameraId, `alert${a.id}-${i + 1}`),
        jpeg: await k.jpeg,
        width: k.width,
        height: k.height,
        detections: k.detections,
        card: {
          capturedAt: k.seen,
          cameraId: a.cameraId,
          trayId: a.trayId,
          reason: 'false-alarm',
          alertId: a.id,
          orderItems,
        },
      });
    deps.log.info({ alert: a.id, frames: list.length }, 'kept the frames of a false alarm for teaching');
  };

  return deps.bus.on('alert', 'teach-capture', (a) => {
    if (a.status !== 'resolved') return remember(a);
    const list = byAlert.get(a.id);
    byAlert.delete(a.id);
    if (a.resolution !== 'false-alarm') return;
    if (!list?.length) {
      deps.log.info({ alert: a.id }, 'false alarm: no frame of it kept (it opened before capture started)');
      return;
    }
    deps.queue(() => falseAlarm(a, list));
  });
}
