// Menu items no shipped model has learned: the demo's "new item" for teaching. They are
// drawn when a scenario orders them, and made into sprite photos with itemSprite(), but random
// training scenes never contain them: the base model has never seen one.
import sharp from 'sharp';
import { chance, int, pick, range, shade, type Rng } from './random.js';
import { rectPts, type Drawing } from './shapes.js';

const f = (v: number): string => v.toFixed(1);

/** A hot dog from above: an elongated split bun, a red sausage longer than the bun, a sauce line. */
export function drawHotdog(rng: Rng, u: string): Drawing {
  const bun = pick(rng, ['#e2a65c', '#d99a4e', '#eab372', '#cf8d45']);
  const sausage = pick(rng, ['#b8321f', '#a82a1a', '#c4432a', '#9e2b1c']);
  const len = range(rng, 50, 56);
  const defs =
    `<linearGradient id="hdb${u}" x1="0" x2="0" y1="0" y2="1"><stop offset="0" stop-color="${shade(bun, -0.3)}"/>` +
    `<stop offset=".3" stop-color="${shade(bun, 0.25)}"/><stop offset=".7" stop-color="${shade(bun, 0.1)}"/>` +
    `<stop offset="1" stop-color="${shade(bun, -0.4)}"/></linearGradient>` +
    `<linearGradient id="hds${u}" x1="0" x2="0" y1="0" y2="1"><stop offset="0" stop-color="${shade(sausage, 0.25)}"/>` +
    `<stop offset=".5" stop-color="${sausage}"/><stop offset="1" stop-color="${shade(sausage, -0.4)}"/></linearGradient>`;
  let body = `<rect x="${f(-len)}" y="-20" width="${f(2 * len)}" height="40" rx="19" fill="url(#hdb${u})" stroke="${shade(bun, -0.5)}" stroke-width="1"/>`;
  body += `<rect x="${f(-len + 4)}" y="-9" width="${f(2 * len - 8)}" height="18" rx="9" fill="${shade(bun, 0.4)}"/>`;
  const over = range(rng, 4, 9);
  body += `<rect x="${f(-len - over)}" y="-7.5" width="${f(2 * (len + over))}" height="15" rx="7.5" fill="url(#hds${u})" stroke="${shade(sausage, -0.5)}" stroke-width=".8"/>`;
  body += `<path d="M${f(-len + 6)},-3 L${f(len - 6)},-3" stroke="#fff" stroke-opacity=".3" stroke-width="2" stroke-linecap="round"/>`;
  if (chance(rng, 0.8)) {
    const sauce = pick(rng, ['#f2c200', '#e8b400', '#c0281b', '#f4f0e0']);
    const n = int(rng, 6, 10);
    let d = `M${f(-len + 8)},0`;
    for (let i = 1; i <= n; i++) d += ` L${f(-len + 8 + (i * (2 * len - 16)) / n)},${i % 2 ? -5 : 5}`;
    body += `<path d="${d}" stroke="${sauce}" stroke-width="3" fill="none" stroke-linejoin="round" stroke-linecap="round"/>`;
  }
  return { defs, body, outline: rectPts(-len - over, -20, len + over, 20) };
}

/**
 * A cut-out "photo" of a drawn item: PNG with alpha, `sizePx` on its longer side, under seed
 * `seed` (each seed a different instance), as a technician's PNG cut-out would be.
 */
export async function itemSprite(
  draw: (rng: Rng, uid: string) => Drawing,
  rng: Rng,
  sizePx: number,
): Promise<Buffer> {
  const d = draw(rng, 's');
  const xs = d.outline.map(([x]) => x);
  const ys = d.outline.map(([, y]) => y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const k = sizePx / Math.max(x1 - x0, y1 - y0);
  const pad = 4;
  const w = Math.ceil((x1 - x0) * k) + 2 * pad;
  const h = Math.ceil((y1 - y0) * k) + 2 * pad;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs>${d.defs}</defs>` +
    `<g transform="translate(${f(pad - x0 * k)} ${f(pad - y0 * k)}) scale(${k.toFixed(4)})">${d.body}</g></svg>`;
  return sharp(Buffer.from(svg), { density: 72 }).ensureAlpha().png().toBuffer();
}
