// Frame sources for `sim:` cameras under `traycheck run`: `sim:builtin` renders a generated
// shift, `sim:<file.yaml>` a scenario file, looped at real time. Orders are not published
// here (the demo does that); a technician uses this to try a config without a camera.
import type { Config } from '../config/schema.js';
import type { SimFrameSource } from '../camera/index.js';
import { createScenarioSource } from './scenario-camera.js';
import { generateScenario } from './scenario-generate.js';
import { loadScenario } from './scenario.js';

export function simSourcesFor(config: Config): Record<string, SimFrameSource> {
  const out: Record<string, SimFrameSource> = {};
  for (const cam of config.cameras) {
    if (!cam.source.startsWith('sim:')) continue;
    const spec = cam.source.slice(4);
    const scenario =
      spec === '' || spec === 'builtin'
        ? generateScenario({ trays: 100, errorRate: 0.2, seed: 1, menu: config.menu, name: 'builtin' })
        : loadScenario(spec);
    out[cam.id] = createScenarioSource({
      scenario: { ...scenario, fps: cam.fps, width: cam.width, height: cam.height },
      realtime: cam.realtime,
      loop: cam.loop,
    });
  }
  return out;
}
