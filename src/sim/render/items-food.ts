// Burger, fries, drink and nuggets seen from an overhead camera (about 7 px per cm at scale 1).
import { chance, int, pick, range, shade, type Rng } from './random.js';
import { blobPts, circlePts, rectPts, smoothPath, type Drawing, type Pt } from './shapes.js';

const f = (v: number): string => v.toFixed(1);

export function drawBurger(rng: Rng, u: string): Drawing {
  const r = 36;
  const bun = pick(rng, ['#d98f45', '#c9803a', '#e3a057', '#b87033', '#d4a264']);
  const defs =
    `<radialGradient id="bun${u}" cx=".42" cy=".38" r=".7"><stop offset="0" stop-color="${shade(bun, 0.35)}"/>` +
    `<stop offset=".55" stop-color="${bun}"/><stop offset="1" stop-color="${shade(bun, -0.45)}"/></radialGradient>`;
  let body = `<circle r="${r + 3.5}" fill="${pick(rng, ['#4a2a18', '#5b3320', '#3d2314'])}"/>`;
  if (chance(rng, 0.6)) {
    const a = range(rng, 0, 90);
    body += `<rect x="-29" y="-29" width="58" height="58" rx="3" fill="#f3b425" transform="rotate(${f(a)})"/>`;
  }
  const leaf: Pt[] = [];
  for (let i = 0; i < 26; i++) {
    const a = (i / 26) * Math.PI * 2;
    const rr = r + (i % 2 ? 3.5 : 0.5) + range(rng, -0.8, 0.8);
    leaf.push([rr * Math.cos(a), rr * Math.sin(a)]);
  }
  if (chance(rng, 0.75))
    body += `<path d="${smoothPath(leaf)}" fill="${pick(rng, ['#5da832', '#74b843', '#4c9a2a'])}"/>`;
  body += `<circle r="${r}" fill="url(#bun${u})"/>`;
  body += `<ellipse cx="-10" cy="-11" rx="14" ry="9" fill="#fff" opacity=".13"/>`;
  const seeds = chance(rng, 0.85) ? int(rng, 14, 26) : 0;
  for (let i = 0; i < seeds; i++) {
    const rr = Math.sqrt(rng()) * (r - 7);
    const a = rng() * Math.PI * 2;
    body +=
      `<ellipse cx="${f(rr * Math.cos(a))}" cy="${f(rr * Math.sin(a))}" rx="2.4" ry="1.2" fill="#f7ebc8" ` +
      `transform="rotate(${f(range(rng, 0, 180))} ${f(rr * Math.cos(a))} ${f(rr * Math.sin(a))})"/>`;
  }
  return { defs, body, outline: circlePts(r + 4) };
}

export function drawFries(rng: Rng, u: string): Drawing {
  const carton = pick(rng, ['#d62718', '#d62718', '#c41f14', '#e8352a', '#f2b705']);
  const emblem = carton === '#f2b705' ? '#c41f14' : pick(rng, ['#ffcc00', '#ffd84a', '#ffffff']);
  const defs =
    `<linearGradient id="ctn${u}" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="${shade(carton, -0.4)}"/>` +
    `<stop offset=".45" stop-color="${shade(carton, 0.12)}"/><stop offset="1" stop-color="${shade(carton, -0.45)}"/></linearGradient>` +
    `<linearGradient id="fry${u}" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="#f5c64a"/>` +
    `<stop offset=".5" stop-color="#ffe68a"/><stop offset="1" stop-color="#e0a530"/></linearGradient>`;
  let body = `<path d="M-30,-8 L30,-8 L27,-30 Q0,-36 -27,-30 Z" fill="${shade(carton, -0.55)}"/>`;
  const n = int(rng, 14, 22);
  for (let i = 0; i < n; i++) {
    const x = range(rng, -24, 24);
    const y = range(rng, -40, -14);
    const h = range(rng, 26, 36);
    body +=
      `<rect x="${f(x - 3)}" y="${f(y - h / 2)}" width="6" height="${f(h)}" rx="1.6" fill="url(#fry${u})" ` +
      `stroke="#c4861c" stroke-width=".7" transform="rotate(${f(range(rng, -22, 22))} ${f(x)} ${f(y)})"/>`;
  }
  body += `<path d="M-31,-12 Q0,-2 31,-12 L24,34 Q0,39 -24,34 Z" fill="url(#ctn${u})"/>`;
  body += chance(rng, 0.5)
    ? `<path d="M-13,10 Q0,24 13,10" stroke="${emblem}" stroke-width="4" fill="none" stroke-linecap="round"/><circle cy="4" r="3.5" fill="${emblem}"/>`
    : `<path d="M0,2 L3,10 L11,10 L5,15 L7,23 L0,18 L-7,23 L-5,15 L-11,10 L-3,10 Z" fill="${emblem}"/>`;
  body += `<path d="M-31,-12 Q0,-2 31,-12" stroke="${shade(carton, 0.3)}" stroke-width="1.5" fill="none"/>`;
  return {
    defs,
    body,
    outline: [
      [-30, -50],
      [30, -50],
      [31, -12],
      [24, 36],
      [-24, 36],
      [-31, -12],
    ],
  };
}

export function drawDrink(rng: Rng, u: string): Drawing {
  const cup = pick(rng, ['#d62718', '#1f5fa8', '#f4f4f0', '#2e8b57', '#e07b00', '#7b2d8b', '#222222']);
  const lidTone = pick(rng, ['#ffffff', '#f2f2ee', '#e4e7ea', '#d8dde2']);
  const defs =
    `<radialGradient id="lid${u}" cx=".45" cy=".4" r=".7"><stop offset="0" stop-color="${lidTone}"/>` +
    `<stop offset=".7" stop-color="${shade(lidTone, -0.1)}"/><stop offset="1" stop-color="${shade(lidTone, -0.3)}"/></radialGradient>`;
  let body = `<circle r="32" fill="${cup}" stroke="${shade(cup, -0.35)}" stroke-width="1.5"/>`;
  if (chance(rng, 0.5))
    body += `<path d="M-32,0 A32,32 0 0 1 0,-32" stroke="${pick(rng, ['#ffcc00', '#ffffff', '#e8352a'])}" stroke-width="3" fill="none"/>`;
  body += `<circle r="27.5" fill="url(#lid${u})" stroke="${shade(lidTone, -0.35)}" stroke-width="1"/>`;
  body += `<circle r="22" fill="none" stroke="${shade(lidTone, -0.25)}" stroke-width="1.4"/>`;
  const a0 = range(rng, 0, 6.28);
  for (let i = 0; i < int(rng, 0, 4); i++) {
    const a = a0 + i * 0.55;
    body += `<circle cx="${f(15 * Math.cos(a))}" cy="${f(15 * Math.sin(a))}" r="3" fill="${shade(lidTone, -0.05)}" stroke="${shade(lidTone, -0.35)}" stroke-width=".8"/>`;
  }
  if (chance(rng, 0.85)) {
    const straw = pick(rng, ['#e8352a', '#ffffff', '#f2b705', '#2b7bd6', '#111111', '#3a9d4a']);
    const a = range(rng, 0, 6.28);
    const sx = 5 * Math.cos(a);
    const sy = 5 * Math.sin(a);
    const len = range(rng, 10, 22);
    const ex = sx + len * Math.cos(a);
    const ey = sy + len * Math.sin(a);
    body += `<line x1="${f(sx + 3)}" y1="${f(sy + 3)}" x2="${f(ex + 6)}" y2="${f(ey + 6)}" stroke="#000" stroke-opacity=".18" stroke-width="7"/>`;
    body += `<line x1="${f(sx)}" y1="${f(sy)}" x2="${f(ex)}" y2="${f(ey)}" stroke="${straw}" stroke-width="7" stroke-linecap="round"/>`;
    body += `<line x1="${f(sx)}" y1="${f(sy)}" x2="${f(ex)}" y2="${f(ey)}" stroke="#fff" stroke-opacity=".35" stroke-width="2"/>`;
    body += `<circle cx="${f(ex)}" cy="${f(ey)}" r="3" fill="${shade(straw, -0.6)}"/>`;
  } else {
    body += `<path d="M-4,-2 L4,-2 L0,6 Z" fill="${shade(lidTone, -0.4)}"/>`;
  }
  return { defs, body, outline: circlePts(32.5) };
}

export function drawNuggets(rng: Rng, u: string): Drawing {
  const box = pick(rng, ['#d62718', '#1f5fa8', '#f2b705', '#f4f4f0', '#b98a55', '#e07b00']);
  const defs =
    `<radialGradient id="ngt${u}" cx=".4" cy=".35" r=".75"><stop offset="0" stop-color="#f6cf6a"/>` +
    `<stop offset=".6" stop-color="#d7962f"/><stop offset="1" stop-color="#9a6220"/></radialGradient>` +
    `<linearGradient id="flap${u}" x1="0" x2="0" y1="0" y2="1"><stop offset="0" stop-color="${shade(box, 0.25)}"/>` +
    `<stop offset="1" stop-color="${shade(box, -0.1)}"/></linearGradient>`;
  let body = `<rect x="-36" y="-42" width="72" height="30" rx="3" fill="url(#flap${u})" stroke="${shade(box, -0.35)}" stroke-width="1"/>`;
  body += `<rect x="-30" y="-36" width="60" height="5" fill="${shade(box, box === '#f4f4f0' ? -0.5 : 0.5)}" opacity=".6"/>`;
  body += `<rect x="-36" y="-14" width="72" height="56" rx="4" fill="${box}" stroke="${shade(box, -0.4)}" stroke-width="1.2"/>`;
  body += `<rect x="-31" y="-10" width="62" height="47" rx="3" fill="${shade(box, -0.45)}"/>`;
  const n = int(rng, 4, 6);
  for (let i = 0; i < n; i++) {
    const cx = -19 + (i % 3) * 19 + range(rng, -3, 3);
    const cy = 2 + Math.floor(i / 3) * 21 + range(rng, -3, 3);
    const pts = blobPts(range(rng, 11, 13), range(rng, 8, 10), 0.18, 9, rng);
    body += `<path d="${smoothPath(pts)}" fill="url(#ngt${u})" stroke="#8a561b" stroke-width=".6" transform="translate(${f(cx)} ${f(cy)}) rotate(${f(range(rng, 0, 180))})"/>`;
    body += `<circle cx="${f(cx - 3)}" cy="${f(cy - 2)}" r="1.3" fill="#a8691e" opacity=".6"/>`;
  }
  return { defs, body, outline: rectPts(-36, -42, 36, 42) };
}
