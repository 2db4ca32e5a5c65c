// Counter surface, trays and unlabelled clutter (napkins, receipts, wrappers, straws).
import { chance, int, pick, range, shade, type Rng } from './random.js';
import { blobPts, rectPts, smoothPath, type Drawing } from './shapes.js';

const f = (v: number): string => v.toFixed(1);

export const COUNTERS = ['steel', 'wood', 'granite', 'white', 'dark', 'tile'] as const;
export const TRAY_COLORS = [
  '#7a4b2a',
  '#b3261e',
  '#2f3336',
  '#1f5fa8',
  '#2e7d32',
  '#d9c7a3',
  '#e07b00',
  '#5d4037',
  '#455a64',
];
export const TRAY_W = 252;
export const TRAY_H = 189;

export function drawCounter(kind: string, rng: Rng, w: number, h: number): { defs: string; body: string } {
  const base: Record<string, string> = {
    steel: '#b9bdc1',
    wood: '#a8743f',
    granite: '#55555a',
    white: '#e6e3dc',
    dark: '#2c2f33',
    tile: '#9b4a32',
  };
  const c = shade(base[kind] ?? '#b9bdc1', range(rng, -0.15, 0.15));
  const defs =
    `<linearGradient id="ctr" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${shade(c, 0.12)}"/>` +
    `<stop offset=".5" stop-color="${c}"/><stop offset="1" stop-color="${shade(c, -0.15)}"/></linearGradient>`;
  let body = `<rect width="${w}" height="${h}" fill="url(#ctr)"/>`;
  if (kind === 'steel') {
    for (let i = 0; i < 40; i++) {
      const y = range(rng, 0, h);
      body += `<line x1="0" y1="${f(y)}" x2="${w}" y2="${f(y + range(rng, -3, 3))}" stroke="${chance(rng, 0.5) ? '#fff' : '#000'}" stroke-opacity=".07" stroke-width="${f(range(rng, 0.5, 2))}"/>`;
    }
  } else if (kind === 'wood') {
    for (let i = 0; i < 28; i++) {
      const y = range(rng, -10, h + 10);
      body += `<path d="M0,${f(y)} C${f(w * 0.3)},${f(y + range(rng, -12, 12))} ${f(w * 0.6)},${f(y + range(rng, -12, 12))} ${w},${f(y + range(rng, -8, 8))}" stroke="${shade(c, -0.35)}" stroke-opacity=".35" stroke-width="${f(range(rng, 0.8, 3))}" fill="none"/>`;
    }
  } else if (kind === 'granite' || kind === 'white') {
    let dots = '';
    for (let i = 0; i < 14; i++)
      dots += `<circle cx="${f(range(rng, 0, 24))}" cy="${f(range(rng, 0, 24))}" r="${f(range(rng, 0.4, 1.3))}" fill="${pick(rng, ['#000', '#fff', '#888'])}" opacity=".3"/>`;
    body = `<defs><pattern id="spk" width="24" height="24" patternUnits="userSpaceOnUse">${dots}</pattern></defs>${body}<rect width="${w}" height="${h}" fill="url(#spk)"/>`;
  } else if (kind === 'tile') {
    const s = range(rng, 50, 90);
    for (let x = s; x < w; x += s)
      body += `<line x1="${f(x)}" y1="0" x2="${f(x)}" y2="${h}" stroke="#ddd" stroke-opacity=".5" stroke-width="2"/>`;
    for (let y = s; y < h; y += s)
      body += `<line x1="0" y1="${f(y)}" x2="${w}" y2="${f(y)}" stroke="#ddd" stroke-opacity=".5" stroke-width="2"/>`;
  }
  if (chance(rng, 0.3)) {
    // Counter edge: a strip of floor or back wall along the top or bottom of the view.
    const sh = range(rng, 0.06, 0.2) * h;
    const y = chance(rng, 0.5) ? 0 : h - sh;
    body += `<rect x="0" y="${f(y)}" width="${w}" height="${f(sh)}" fill="${pick(rng, ['#3a3a3a', '#6b5b4b', '#8c8c8c', '#20252b'])}"/>`;
    body += `<rect x="0" y="${f(y === 0 ? sh - 3 : y)}" width="${w}" height="3" fill="#ddd" opacity=".5"/>`;
  }
  return { defs, body };
}

export function drawTray(color: string, rng: Rng, u: string): Drawing {
  const w = TRAY_W;
  const h = TRAY_H;
  const defs =
    `<linearGradient id="try${u}" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${shade(color, 0.15)}"/>` +
    `<stop offset="1" stop-color="${shade(color, -0.18)}"/></linearGradient>`;
  let body = `<rect x="${-w / 2}" y="${-h / 2}" width="${w}" height="${h}" rx="14" fill="url(#try${u})" stroke="${shade(color, -0.45)}" stroke-width="2"/>`;
  body += `<rect x="${-w / 2 + 9}" y="${-h / 2 + 9}" width="${w - 18}" height="${h - 18}" rx="9" fill="${shade(color, -0.06)}" stroke="${shade(color, -0.3)}" stroke-width="2"/>`;
  body += `<rect x="${-w / 2 + 10}" y="${-h / 2 + 10}" width="${w - 20}" height="3" fill="#fff" opacity=".15"/>`;
  if (chance(rng, 0.45)) {
    // Paper tray liner, sometimes printed.
    const lw = range(rng, 180, 215);
    const lh = range(rng, 130, 160);
    const paper = pick(rng, ['#f7f3e8', '#ffffff', '#efe6d2', '#f3efe3']);
    body += `<g transform="rotate(${f(range(rng, -5, 5))})"><rect x="${f(-lw / 2)}" y="${f(-lh / 2)}" width="${f(lw)}" height="${f(lh)}" fill="${paper}"/>`;
    const ink = pick(rng, ['#d62718', '#2e7d32', '#1f5fa8', '#f2b705', '#555555']);
    for (let i = 0; i < int(rng, 0, 6); i++) {
      body += chance(rng, 0.5)
        ? `<circle cx="${f(range(rng, -lw / 2 + 12, lw / 2 - 12))}" cy="${f(range(rng, -lh / 2 + 12, lh / 2 - 12))}" r="${f(range(rng, 4, 12))}" fill="${ink}" opacity=".5"/>`
        : `<rect x="${f(range(rng, -lw / 2, lw / 2 - 40))}" y="${f(range(rng, -lh / 2, lh / 2 - 6))}" width="${f(range(rng, 20, 60))}" height="${f(range(rng, 2, 6))}" fill="${ink}" opacity=".5"/>`;
    }
    body += `</g>`;
  }
  return { defs, body, outline: rectPts(-w / 2, -h / 2, w / 2, h / 2) };
}

export const DISTRACTORS = ['napkin', 'receipt', 'wrapper', 'straw', 'packet', 'strawPaper'] as const;

export function drawDistractor(kind: string, rng: Rng, u: string): Drawing {
  if (kind === 'napkin') {
    const c = pick(rng, ['#fafafa', '#f2efe8', '#c8a87c', '#ffffff']);
    const pts = blobPts(range(rng, 26, 42), range(rng, 22, 34), 0.12, 8, rng);
    const body = `<path d="${smoothPath(pts)}" fill="${c}" stroke="${shade(c, -0.2)}" stroke-width=".8"/><path d="M-20,-4 L22,6 M-6,-18 L4,20" stroke="${shade(c, -0.15)}" stroke-width="1.2"/>`;
    return { defs: '', body, outline: pts };
  }
  if (kind === 'receipt') {
    const w = range(rng, 30, 42);
    const h = range(rng, 80, 130);
    let body = `<rect x="${f(-w / 2)}" y="${f(-h / 2)}" width="${f(w)}" height="${f(h)}" fill="#fbfbf6" stroke="#d6d6d0" stroke-width=".6"/>`;
    for (let y = -h / 2 + 8; y < h / 2 - 6; y += 5)
      body += `<rect x="${f(-w / 2 + 4)}" y="${f(y)}" width="${f(range(rng, w * 0.3, w - 8))}" height="1.6" fill="#777" opacity=".55"/>`;
    return { defs: '', body, outline: rectPts(-w / 2, -h / 2, w / 2, h / 2) };
  }
  if (kind === 'wrapper') {
    const foil = chance(rng, 0.5);
    const c = foil ? '#c5c9ce' : pick(rng, ['#f2d27a', '#f7f5ef', '#d62718', '#b98a55']);
    const defs = `<linearGradient id="wrp${u}" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${shade(c, 0.4)}"/><stop offset=".5" stop-color="${shade(c, -0.25)}"/><stop offset="1" stop-color="${shade(c, 0.2)}"/></linearGradient>`;
    const pts = blobPts(range(rng, 22, 36), range(rng, 18, 30), 0.35, 11, rng);
    let body = `<path d="${pts.map(([x, y], i) => `${i ? 'L' : 'M'}${f(x)},${f(y)}`).join('')}Z" fill="url(#wrp${u})" stroke="${shade(c, -0.4)}" stroke-width=".8"/>`;
    for (let i = 0; i < 4; i++)
      body += `<path d="M${f(range(rng, -18, 18))},${f(range(rng, -15, 15))} L${f(range(rng, -18, 18))},${f(range(rng, -15, 15))}" stroke="${shade(c, -0.35)}" stroke-width="1"/>`;
    return { defs, body, outline: pts };
  }
  if (kind === 'straw') {
    const c = pick(rng, ['#e8352a', '#ffffff', '#f2b705', '#2b7bd6', '#111111']);
    const l = range(rng, 90, 150);
    const body = `<rect x="${f(-l / 2)}" y="-3" width="${f(l)}" height="6" rx="3" fill="${c}" stroke="${shade(c, -0.35)}" stroke-width=".6"/>`;
    return { defs: '', body, outline: rectPts(-l / 2, -3, l / 2, 3) };
  }
  if (kind === 'packet') {
    const c = pick(rng, ['#c0281b', '#ffffff', '#f2b705', '#2b2b2b']);
    const body = `<rect x="-13" y="-19" width="26" height="38" rx="2" fill="${c}" stroke="${shade(c, -0.35)}" stroke-width="1"/><rect x="-9" y="-6" width="18" height="12" fill="${c === '#ffffff' ? '#888' : '#fff'}" opacity=".6"/>`;
    return { defs: '', body, outline: rectPts(-13, -19, 13, 19) };
  }
  let d = 'M-30,0';
  for (let i = 1; i <= 6; i++) d += ` L${f(-30 + i * 10)},${f(range(rng, -5, 5))}`;
  const body = `<path d="${d}" stroke="#f4f4f0" stroke-width="5" fill="none" stroke-linejoin="round"/>`;
  return { defs: '', body, outline: rectPts(-30, -6, 30, 6) };
}
