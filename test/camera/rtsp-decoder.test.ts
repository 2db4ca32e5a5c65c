// camera.decoder against a real RTSP stream: a decoder this ffmpeg lacks and a hardware decoder
// without its device each leave their camera offline with a reason that names the decoder
// setting, retried like any failure, while a camera on the same stream with the default
// decoder runs beside them.
import { describe, expect, it } from 'vitest';
import { createCameras } from '../../src/camera/index.js';
import { silentLogger } from '../../src/log.js';
import { waitFor } from '../helpers/wait.js';
import { cameraConfig, recorder, rtspServerForFile, trackCameras } from './fixtures.js';

const server = rtspServerForFile({ width: 320, height: 240, fps: 10, path: '/live' });
const track = trackCameras();

const fast = { stallTimeoutMs: 3000, backoffInitialMs: 300, backoffMaxMs: 1000, motionThreshold: 0 };

describe('camera decoder', () => {
  it('an unavailable decoder is a readable camera error, retried; the default decoder runs beside it', async () => {
    const rec = recorder();
    const source = server().url;
    const cams = createCameras({
      cameras: [
        cameraConfig({ id: 'software', source, width: 160, height: 120, ...fast }),
        // Not in Debian's ffmpeg (Rockchip builds add it).
        cameraConfig({ id: 'rockchip', source, decoder: 'h264_rkmpp', ...fast }),
        // In Debian's ffmpeg, but this box has no V4L2 mem2mem device.
        cameraConfig({ id: 'v4l2', source, decoder: 'h264_v4l2m2m', ...fast }),
      ],
      bus: rec.bus,
      log: silentLogger(),
    });
    cams.start();
    track(cams);
    const byId = () => Object.fromEntries(cams.statuses().map((s) => [s.cameraId, s]));
    await waitFor(
      () => {
        const s = byId();
        const done =
          s.software?.state === 'online' &&
          (s.rockchip?.restarts ?? 0) >= 2 &&
          // A box with a V4L2 decoder device decodes: that camera is then simply online.
          ((s.v4l2?.restarts ?? 0) >= 2 || s.v4l2?.state === 'online') &&
          rec.framesOf('software').length >= 3;
        if (done) return true;
        // Not yet: say where each camera is, so that a timeout says why.
        const where = Object.values(s).map(
          (c) => `${c.cameraId} ${c.state} restarts ${c.restarts} (${c.lastError ?? 'no error'})`,
        );
        const srv = `rtsp server ${server().exitReason() ?? 'running'}, respawned ${server.respawns()}`;
        throw new Error(`${where.join('; ')}; software frames ${rec.framesOf('software').length}; ${srv}`);
      },
      { timeoutMs: 45_000, message: 'the software camera online and both others retried twice' },
    );
    const s = byId();
    expect(s.rockchip).toMatchObject({
      state: 'offline',
      lastError: expect.stringContaining('decoder not in this ffmpeg') as unknown,
    });
    const v4l2Error = s.v4l2?.lastError ?? '';
    if (s.v4l2?.state !== 'online') expect(v4l2Error).toContain('decoder could not start');
    expect(rec.framesOf('rockchip')).toHaveLength(0);
    expect(rec.framesOf('software').every((f) => f.width === 160 && f.height === 120)).toBe(true);
  });
});
