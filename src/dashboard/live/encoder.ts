// Live view frames: JPEGs encoded from frames the daemon already decodes, ONLY while someone
// watches. One encode per frame (rate-capped at liveFps) is shared by every viewer of that
// camera; while an encode runs, newer frames replace the waiting one (newest wins). With no
// viewer the encoder is not even subscribed to the bus, so it costs nothing.
import sharp from 'sharp';
import type { EventBus } from '../../events.js';
import type { Logger } from '../../log.js';
import { dropFrame, holdFrame } from '../../frame-pool.js';
import type { Frame, FrameDetections } from '../../types.js';
import type { DashboardDeps } from '../types.js';
import { overlaySvg } from './overlay.js';

export type JpegListener = (jpeg: Buffer) => void;

interface CameraLive {
  viewers: Set<JpegListener>;
  detections: FrameDetections | null;
  encoding: boolean;
  pending: Frame | null;
  lastEncodeAt: number;
  last: { seq: number; jpeg: Buffer } | null;
}

export interface LiveEncoderOptions {
  bus: EventBus;
  log: Logger;
  cameras: DashboardDeps['cameras'];
  liveTrays: DashboardDeps['cameras']['liveTrays'];
  fps: number;
  quality: number;
}

export interface LiveEncoder {
  /** Start receiving JPEGs of a camera; returns the unsubscribe function. */
  watch(cameraId: string, onJpeg: JpegListener): () => void;
  /** The freshest JPEG of a camera (encodes the latest frame once if nothing is cached). */
  snapshot(cameraId: string): Promise<Buffer | null>;
  viewers(): number;
  encodes(): number;
  stop(): void;
}

export function createLiveEncoder(opts: LiveEncoderOptions): LiveEncoder {
  const cams = new Map<string, CameraLive>();
  const minIntervalMs = 1000 / opts.fps;
  let off: Array<() => void> = [];
  let encodes = 0;

  const cam = (id: string): CameraLive => {
    let c = cams.get(id);
    if (!c) {
      c = {
        viewers: new Set(),
        detections: null,
        encoding: false,
        pending: null,
        lastEncodeAt: -Infinity,
        last: null,
      };
      cams.set(id, c);
    }
    return c;
  };
  const totalViewers = (): number => [...cams.values()].reduce((n, c) => n + c.viewers.size, 0);

  const encode = async (c: CameraLive, f: Frame): Promise<Buffer> => {
    encodes++;
    const svg = overlaySvg({
      width: f.width,
      height: f.height,
      zone: opts.cameras.zones()[f.cameraId],
      detections: c.detections,
      trays: opts.liveTrays?.(f.cameraId) ?? [],
    });
    const jpeg = await sharp(f.data, { raw: { width: f.width, height: f.height, channels: 3 } })
      .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
      .jpeg({ quality: opts.quality, mozjpeg: false })
      .toBuffer();
    c.last = { seq: f.seq, jpeg };
    return jpeg;
  };

  // The frame being encoded and the one waiting are held until done (src/frame-pool.ts): sharp
  // reads the pixels on its own threads, after this event.
  const onFrame = (f: Frame): void => {
    const c = cams.get(f.cameraId);
    if (!c || c.viewers.size === 0) return;
    if (c.encoding) {
      if (c.pending) dropFrame(c.pending.data);
      holdFrame(f.data);
      c.pending = f;
      return;
    }
    // Capped by capture time: at most liveFps encodes per second of video, one at a time
    // (10 % slack so a camera delivering exactly liveFps with jitter is not halved).
    if (f.ts - c.lastEncodeAt < minIntervalMs * 0.9) return;
    c.encoding = true;
    c.lastEncodeAt = f.ts;
    holdFrame(f.data);
    encode(c, f)
      .then((jpeg) => {
        for (const v of c.viewers) v(jpeg);
      })
      .catch((err: unknown) => opts.log.warn({ err, camera: f.cameraId }, 'live view encode failed'))
      .finally(() => {
        dropFrame(f.data);
        c.encoding = false;
        const next = c.pending;
        c.pending = null;
        if (next) {
          onFrame(next);
          dropFrame(next.data);
        }
      });
  };

  const subscribe = (): void => {
    if (off.length) return;
    off = [
      opts.bus.on('frame', 'dashboard-live', onFrame),
      opts.bus.on('detections', 'dashboard-live', (d) => {
        const c = cams.get(d.cameraId);
        if (c && c.viewers.size > 0) c.detections = d;
      }),
    ];
  };
  const unsubscribe = (): void => {
    for (const u of off) u();
    off = [];
  };

  return {
    watch(cameraId, onJpeg) {
      const c = cam(cameraId);
      c.viewers.add(onJpeg);
      subscribe();
      return () => {
        c.viewers.delete(onJpeg);
        if (c.viewers.size === 0) {
          if (c.pending) dropFrame(c.pending.data);
          c.pending = null;
          c.lastEncodeAt = -Infinity;
        }
        if (totalViewers() === 0) unsubscribe();
      };
    },
    async snapshot(cameraId) {
      const c = cam(cameraId);
      const f = opts.cameras.latestFrame(cameraId);
      if (c.last && (!f || f.seq === c.last.seq)) return c.last.jpeg;
      if (!f) return null;
      return encode(c, f);
    },
    viewers: totalViewers,
    encodes: () => encodes,
    stop() {
      unsubscribe();
      cams.clear();
    },
  };
}
