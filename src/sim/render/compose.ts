// Turns a Scene into one SVG document plus, in paint order, the silhouettes that decide
// which pixels each labelled object owns (for the visible-part label boxes).
import { drawCounter, drawDistractor, drawTray, DISTRACTORS, TRAY_H, TRAY_W } from './backdrop.js';
import { drawHand, HAND_OUTLINE } from './hand.js';
import { drawBurger, drawDrink, drawFries, drawNuggets } from './items-food.js';
import { drawDessert, drawSalad, drawSauce, drawWrap } from './items-more.js';
import { drawHotdog } from './items-new.js';
import { chance, pick, range, rngFor, type Rng } from './random.js';
import { ITEM_RADIUS, type Scene, type SceneHand } from './scene.js';
import {
  pathOf,
  rectPts,
  transformAttr,
  transformPts,
  type Drawing,
  type Placement,
  type Pt,
} from './shapes.js';

type Drawer = (rng: Rng, uid: string) => Drawing;
/** The drawing of each menu item label. */
export const DRAWERS: Record<string, Drawer> = {
  burger: drawBurger,
  fries: drawFries,
  drink: drawDrink,
  nuggets: drawNuggets,
  wrap: drawWrap,
  salad: drawSalad,
  dessert: drawDessert,
  sauce: drawSauce,
  hotdog: drawHotdog,
};

/** A painted silhouette in frame pixels; label null = occludes but is not labelled. */
export interface Layer {
  label: string | null;
  poly: Pt[];
}

export interface Composed {
  svg: string;
  layers: Layer[];
  /** Items marked `sprite` in the scene: not drawn, placed here for the photo renderer to paste. */
  spriteSlots: SpriteSlot[];
  /** The scene's shadow offset and opacity, so pasted objects cast matching shadows. */
  shadow: { dx: number; dy: number; opacity: number };
}

export interface SpriteSlot {
  label: string;
  sprite: number;
  /** Centre in frame pixels, rotation, and the item's nominal size (longer side) in pixels. */
  x: number;
  y: number;
  rotationDeg: number;
  sizePx: number;
}

export interface ComposeOptions {
  /** Leave the counter transparent (the photo renderer puts a photograph under the scene). */
  omitCounter?: boolean;
  /** 'below-hand': everything but the hand; 'hand': only the hand and its shadow. */
  part?: 'all' | 'below-hand' | 'hand';
}

export function composeScene(scene: Scene, opts: ComposeOptions = {}): Composed {
  const part = opts.part ?? 'all';
  const { width: W, height: H } = scene;
  const k = (W / 640) * (scene.zoom ?? 1);
  const look = rngFor(scene.seed, 15);
  const shadowA = range(look, 0, Math.PI * 2);
  const shadowLen = range(look, 2, 9) * k;
  const shadowOp = range(look, 0.12, 0.35);
  const sdx = Math.cos(shadowA) * shadowLen;
  const sdy = Math.sin(shadowA) * shadowLen;
  const defs: string[] = [];
  const body: string[] = [];
  const layers: Layer[] = [];
  const spriteSlots: SpriteSlot[] = [];

  const shadow = (poly: Pt[], mult = 1, opMult = 1): void => {
    const moved = poly.map(([x, y]): Pt => [x + sdx * mult, y + sdy * mult]);
    const op = (shadowOp * opMult).toFixed(2);
    body.push(
      `<path d="${pathOf(moved)}" fill="#000" fill-opacity="${op}" stroke="#000" stroke-opacity="${(shadowOp * opMult * 0.45).toFixed(2)}" stroke-width="${(4 * k * mult).toFixed(1)}" stroke-linejoin="round"/>`,
    );
  };
  const place = (d: Drawing, p: Placement, label: string | null, withShadow = true): void => {
    const poly = transformPts(d.outline, p);
    if (withShadow) shadow(poly);
    defs.push(d.defs);
    body.push(`<g transform="${transformAttr(p)}">${d.body}</g>`);
    layers.push({ label, poly });
  };

  if (part !== 'hand') composeTable();
  if (scene.hand && part !== 'below-hand') composeHand(scene.hand);

  function composeTable(): void {
    if (!opts.omitCounter) {
      const counter = drawCounter(scene.counter ?? 'steel', rngFor(scene.seed, 13), W, H);
      defs.push(counter.defs);
      body.push(counter.body);
    }

    // Clutter: some on the counter (under trays), some on a tray (under its items).
    const clutter = rngFor(scene.seed, 14);
    const onTray = new Map<number, Array<{ d: Drawing; u: number }>>();
    for (let i = 0; i < scene.distractors; i++) {
      const d = drawDistractor(pick(clutter, DISTRACTORS), clutter, `x${i}`);
      const t = scene.trays.length && chance(clutter, 0.35) ? Math.floor(clutter() * scene.trays.length) : -1;
      if (t >= 0) {
        const list = onTray.get(t) ?? [];
        list.push({ d, u: i });
        onTray.set(t, list);
      } else {
        place(
          d,
          { x: range(clutter, 0, W), y: range(clutter, 0, H), rotationDeg: range(clutter, 0, 360), scale: k },
          null,
          false,
        );
        layers.pop(); // counter clutter lies under everything labelled: it occludes nothing
      }
    }

    scene.trays.forEach((tray, t) => {
      const cx = tray.x * W;
      const cy = tray.y * H;
      const a = (tray.rotationDeg * Math.PI) / 180;
      const toFrame = (lx: number, ly: number): [number, number] => [
        cx + (lx * Math.cos(a) - ly * Math.sin(a)) * k,
        cy + (lx * Math.sin(a) + ly * Math.cos(a)) * k,
      ];
      const trng = rngFor(scene.seed, 10, t);
      place(
        drawTray(tray.color ?? '#7a4b2a', trng, `t${t}`),
        { x: cx, y: cy, rotationDeg: tray.rotationDeg, scale: k },
        'tray',
      );
      for (const { d } of onTray.get(t) ?? []) {
        const [x, y] = toFrame(
          range(clutter, -TRAY_W / 3, TRAY_W / 3),
          range(clutter, -TRAY_H / 3, TRAY_H / 3),
        );
        place(d, { x, y, rotationDeg: range(clutter, 0, 360), scale: k }, null, false);
      }
      tray.items.forEach((it, i) => {
        const [x, y] = toFrame((it.x - 0.5) * TRAY_W, (it.y - 0.5) * TRAY_H);
        // A store's new label may have sprites only, no drawing.
        if (it.sprite !== undefined) {
          spriteSlots.push({
            label: it.label,
            sprite: it.sprite,
            x,
            y,
            rotationDeg: tray.rotationDeg + it.rotationDeg,
            sizePx: 2 * (ITEM_RADIUS[it.label] ?? 30) * k * it.scale,
          });
          return;
        }
        const draw = DRAWERS[it.label];
        if (!draw) throw new Error(`renderer has no drawing for label "${it.label}"`);
        place(
          draw(rngFor(scene.seed, 11, t, i), `i${t}_${i}`),
          { x, y, rotationDeg: tray.rotationDeg + it.rotationDeg, scale: k * it.scale },
          it.label,
        );
      });
    });
  }

  function composeHand(h: SceneHand): void {
    const p: Placement = { x: h.x * W, y: h.y * H, rotationDeg: h.angleDeg, scale: k * h.scale };
    const arm = transformPts(rectPts(-900, -31, -20, 31), p);
    const hand = transformPts(HAND_OUTLINE, p);
    shadow(arm, 3, 0.6);
    shadow(hand, 3, 0.6);
    const d = drawHand(rngFor(scene.seed, 12), 'h');
    defs.push(d.defs);
    body.push(`<g transform="${transformAttr(p)}">${d.body}</g>`);
    layers.push({ label: null, poly: arm }, { label: 'hand', poly: hand });
  }

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><defs>${defs.join('')}</defs>${body.join('')}</svg>`;
  return { svg, layers, spriteSlots, shadow: { dx: sdx, dy: sdy, opacity: shadowOp } };
}
