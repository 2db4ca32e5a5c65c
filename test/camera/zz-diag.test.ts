import { it } from 'vitest';
import { createCameras } from '../../src/camera/index.js';
import { createMotionGate } from '../../src/camera/motion-gate.js';
import { silentLogger } from '../../src/log.js';
import { startRtspServer, stopAllRtspServers } from '../helpers/rtsp.js';
import { cameraConfig, recorder } from './fixtures.js';
it('diag', async () => {
  const pattern = process.env.PAT ?? 'smpte';
  const server = await startRtspServer({ width: 640, height: 480, fps: 25, pattern });
  const rec = recorder(true);
  const cams = createCameras({ cameras: [cameraConfig({ id: 'g', source: server.url, width: 320, height: 240, fps: 5, motionThreshold: 0 })], bus: rec.bus, log: silentLogger() });
  const gate = createMotionGate({ width: 320, height: 240, zone: [[0,0],[1,0],[1,1],[0,1]], fps: 5, idleFps: 1, motionThreshold: 0.005, holdMs: 1000 });
  const out: string[] = [];
  rec.bus.on('frame', 'd', (f) => { out.push(gate.check(f.data, f.ts).changed.toFixed(4)); });
  cams.start();
  await new Promise((r) => setTimeout(r, 5000));
  await cams.stop(); await stopAllRtspServers();
  console.log(pattern, out.join(' '));
});
