import { describe, expect, it } from 'vitest';
import {
  CLASSES,
  randomScene,
  renderScene,
  sceneForTray,
  sceneForTrays,
  type Scene,
} from '../../src/sim/render/index.js';

const quiet = { distractors: 0, noise: 0.2, jpegQuality: null, counter: 'steel' } as const;

function meanAbsDiff(
  a: Buffer,
  b: Buffer,
  w: number,
  box: [number, number, number, number],
  inside: boolean,
): number {
  let sum = 0;
  let n = 0;
  const [x1, y1, x2, y2] = box;
  for (let y = 0; y < a.length / 3 / w; y++) {
    for (let x = 0; x < w; x++) {
      const isIn = x >= x1 && x < x2 && y >= y1 && y < y2;
      if (isIn !== inside) continue;
      const o = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) sum += Math.abs((a[o + c] as number) - (b[o + c] as number));
      n += 3;
    }
  }
  return sum / n;
}

describe('tray scene renderer', () => {
  it('is deterministic: same scene gives identical bytes, another seed does not', async () => {
    const a = await renderScene(randomScene(4242));
    const b = await renderScene(randomScene(4242));
    const c = await renderScene(randomScene(4243));
    expect(a.rgb.length).toBe(640 * 360 * 3);
    expect(a.rgb.equals(b.rgb)).toBe(true);
    expect(a.labels).toEqual(b.labels);
    expect(a.rgb.equals(c.rgb)).toBe(false);
  });

  it('changes only sensor noise when noiseSeed changes', async () => {
    const scene = sceneForTray({ burger: 1, drink: 1 }, 7, quiet);
    const a = await renderScene(scene);
    const b = await renderScene({ ...scene, noiseSeed: 99 });
    expect(a.rgb.equals(b.rgb)).toBe(false);
    expect(a.labels).toEqual(b.labels);
    expect(meanAbsDiff(a.rgb, b.rgb, 640, [0, 0, 640, 360], true)).toBeLessThan(8);
  });

  it('labels a drawn burger where its pixels are, and the tray around it', async () => {
    for (const seed of [1, 2, 3]) {
      const empty = await renderScene(sceneForTray({}, seed, quiet));
      const full = await renderScene(sceneForTray({ burger: 1 }, seed, quiet));
      expect(empty.labels.map((l) => l.label)).toEqual(['tray']);
      expect(full.labels.map((l) => l.label)).toEqual(['tray', 'burger']);
      const tray = full.labels[0]?.box ?? [0, 0, 0, 0];
      const burger = full.labels[1]?.box ?? [0, 0, 0, 0];
      const [x1, y1, x2, y2] = burger;
      expect(x1).toBeGreaterThanOrEqual(tray[0]);
      expect(y1).toBeGreaterThanOrEqual(tray[1]);
      expect(x2).toBeLessThanOrEqual(tray[2]);
      expect(y2).toBeLessThanOrEqual(tray[3]);
      // A bun is ~10 cm across at ~7 px/cm: roughly square, 60–100 px.
      expect(x2 - x1).toBeGreaterThan(55);
      expect(x2 - x1).toBeLessThan(105);
      expect((x2 - x1) / (y2 - y1)).toBeGreaterThan(0.85);
      expect((x2 - x1) / (y2 - y1)).toBeLessThan(1.18);
      // The burger changed the pixels inside its box; away from it (shadow margin aside) nothing did.
      expect(meanAbsDiff(full.rgb, empty.rgb, 640, burger, true)).toBeGreaterThan(25);
      const margin: [number, number, number, number] = [x1 - 15, y1 - 15, x2 + 15, y2 + 15];
      expect(meanAbsDiff(full.rgb, empty.rgb, 640, margin, false)).toBeLessThan(1);
    }
  });

  it('places the ordered items on two trays and labels each of them', async () => {
    const scene = sceneForTrays(
      [
        { burger: 1, fries: 1, drink: 1 },
        { nuggets: 1, sauce: 2, salad: 1 },
      ],
      11,
      quiet,
    );
    expect(scene.trays).toHaveLength(2);
    const frame = await renderScene(scene);
    const count = (l: string): number => frame.labels.filter((x) => x.label === l).length;
    expect(count('tray')).toBe(2);
    for (const [l, n] of Object.entries({
      burger: 1,
      fries: 1,
      drink: 1,
      nuggets: 1,
      sauce: 2,
      salad: 1,
      hand: 0,
    }))
      expect(count(l)).toBe(n);
    expect(() => sceneForTray({ pizza: 1 }, 1)).toThrow(/unknown item label/);
  });

  it('labels a hand reaching in and hides what it covers', async () => {
    const scene: Scene = sceneForTray({ sauce: 1 }, 5, { ...quiet, hand: true });
    const tray = scene.trays[0];
    const item = tray?.items[0];
    if (!tray || !item || !scene.hand) throw new Error('scene lacks tray, item or hand');
    // Put the palm right over the sauce cup: the cup must lose its label.
    item.x = 0.5;
    item.y = 0.5;
    scene.hand = { ...scene.hand, x: tray.x, y: tray.y, angleDeg: 0 };
    const frame = await renderScene(scene);
    expect(frame.labels.map((l) => l.label).sort()).toEqual(['hand', 'tray']);
  });

  it('random scenes keep every box inside the frame, use only model classes, and render fast enough for 5 fps', async () => {
    let ms = 0;
    const seen = new Set<string>();
    for (let s = 0; s < 16; s++) {
      const scene = randomScene(9000 + s);
      const t0 = performance.now();
      const frame = await renderScene(scene);
      ms += performance.now() - t0;
      for (const { label, box } of frame.labels) {
        seen.add(label);
        expect(CLASSES).toContain(label);
        expect(box[0]).toBeGreaterThanOrEqual(0);
        expect(box[1]).toBeGreaterThanOrEqual(0);
        expect(box[2]).toBeLessThanOrEqual(640);
        expect(box[3]).toBeLessThanOrEqual(360);
        expect(box[2] - box[0]).toBeGreaterThan(4);
        expect(box[3] - box[1]).toBeGreaterThan(4);
      }
      const items = scene.trays.reduce((n, t) => n + t.items.length, 0);
      expect(frame.labels.filter((l) => l.label !== 'tray' && l.label !== 'hand').length).toBeLessThanOrEqual(
        items,
      );
    }
    expect(seen.size).toBeGreaterThan(6);
    // 200 ms/frame budget at 5 fps; typically ~25–50 ms here (loaded 2-core box, generous bound).
    expect(ms / 16).toBeLessThan(200);
  });
});
