// The simulated camera's frame renderer reuses the last raster while the drawing is unchanged:
// its frames must be byte for byte what renderScene gives, across noise changes (cache hits),
// a tray arriving (a miss) and back again.
import { describe, expect, it } from 'vitest';
import { createFrameRenderer, renderScene, sceneForTray, type Scene } from '../../src/sim/render/index.js';

describe('simulated camera frame renderer', () => {
  it('gives renderScene bytes on repeated, changed and returning scenes', async () => {
    const empty = sceneForTray({}, 5);
    const full = sceneForTray({ burger: 1, fries: 1 }, 5);
    const frames: Scene[] = [
      { ...empty, noiseSeed: 1 },
      { ...empty, noiseSeed: 2 },
      { ...full, noiseSeed: 3 },
      { ...full, noiseSeed: 4 },
      { ...empty, noiseSeed: 5 },
      { ...empty, noiseSeed: 5, jpegQuality: null },
    ];
    const render = createFrameRenderer();
    const got: Buffer[] = [];
    for (const scene of frames) {
      const frame = await render(scene);
      expect(frame.equals((await renderScene(scene)).rgb)).toBe(true);
      got.push(frame);
    }
    // The cached raster is not the frame: noise applied to one frame does not leak into the next.
    expect(got[0]?.equals(got[1] as Buffer)).toBe(false);
    expect(got[1]?.equals(got[2] as Buffer)).toBe(false);
  });
});
