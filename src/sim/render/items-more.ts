// Wrap, salad, dessert and sauce seen from an overhead camera (about 7 px per cm at scale 1).
import { chance, int, pick, range, shade, type Rng } from './random.js';
import { blobPts, circlePts, rectPts, smoothPath, type Drawing } from './shapes.js';

const f = (v: number): string => v.toFixed(1);

export function drawWrap(rng: Rng, u: string): Drawing {
  const paper = pick(rng, ['#f7f5ef', '#c9ccd0', '#b98a55', '#f4f4f0', '#e9e1cf']);
  const defs =
    `<linearGradient id="tor${u}" x1="0" x2="0" y1="0" y2="1"><stop offset="0" stop-color="#c9a467"/>` +
    `<stop offset=".45" stop-color="#f4e2b8"/><stop offset="1" stop-color="#b8925a"/></linearGradient>` +
    `<linearGradient id="ppr${u}" x1="0" x2="0" y1="0" y2="1"><stop offset="0" stop-color="${shade(paper, -0.2)}"/>` +
    `<stop offset=".4" stop-color="${shade(paper, 0.15)}"/><stop offset="1" stop-color="${shade(paper, -0.3)}"/></linearGradient>`;
  let body = `<rect x="-56" y="-19" width="112" height="38" rx="19" fill="url(#tor${u})"/>`;
  for (let i = 0; i < int(rng, 4, 8); i++) {
    body += `<ellipse cx="${f(range(rng, -48, 0))}" cy="${f(range(rng, -12, 12))}" rx="${f(range(rng, 2, 5))}" ry="${f(range(rng, 1.5, 3))}" fill="#8a5a22" opacity=".35"/>`;
  }
  body += `<path d="M-50,-15 Q-30,4 -8,18" stroke="#a98250" stroke-width="1.4" fill="none"/>`;
  body += `<ellipse cx="-54" cy="0" rx="6" ry="15" fill="${pick(rng, ['#6f9f35', '#8a5a3a', '#c0392b'])}"/>`;
  body += `<circle cx="-55" cy="-5" r="3" fill="${pick(rng, ['#d9412b', '#f0e6c8', '#5a8f2a'])}"/><circle cx="-53" cy="6" r="2.6" fill="#f3d36b"/>`;
  body += `<path d="M-2,-21 L58,-21 L58,21 L-2,21 L4,10 L-3,0 L4,-10 Z" fill="url(#ppr${u})" stroke="${shade(paper, -0.4)}" stroke-width=".8"/>`;
  body += `<path d="M10,-21 L22,21 M30,-21 L38,21 M46,-21 L50,21" stroke="${shade(paper, -0.3)}" stroke-width="1" opacity=".7"/>`;
  if (chance(rng, 0.4))
    body += `<rect x="14" y="-6" width="30" height="12" fill="${pick(rng, ['#d62718', '#2e8b57', '#1f5fa8'])}" opacity=".8"/>`;
  return { defs, body, outline: rectPts(-58, -21, 58, 21) };
}

export function drawSalad(rng: Rng, u: string): Drawing {
  const defs =
    `<radialGradient id="bowl${u}" cx=".5" cy=".5" r=".5"><stop offset=".8" stop-color="#dfe8ea" stop-opacity=".35"/>` +
    `<stop offset="1" stop-color="#a9bcc3" stop-opacity=".8"/></radialGradient>`;
  let body = `<circle r="52" fill="#e9efe6"/>`;
  const greens = ['#4e8f2a', '#6fb83c', '#8fcf55', '#3f7a22', '#a9d86e', '#2f6b1d'];
  for (let i = 0; i < int(rng, 26, 36); i++) {
    const rr = Math.sqrt(rng()) * 40;
    const a = rng() * 6.28;
    const pts = blobPts(range(rng, 9, 15), range(rng, 5, 9), 0.25, 8, rng);
    body += `<path d="${smoothPath(pts)}" fill="${pick(rng, greens)}" stroke="#2a5a18" stroke-width=".5" transform="translate(${f(rr * Math.cos(a))} ${f(rr * Math.sin(a))}) rotate(${f(range(rng, 0, 180))})"/>`;
  }
  for (let i = 0; i < int(rng, 3, 5); i++) {
    const rr = Math.sqrt(rng()) * 34;
    const a = rng() * 6.28;
    const x = rr * Math.cos(a);
    const y = rr * Math.sin(a);
    body += `<circle cx="${f(x)}" cy="${f(y)}" r="${f(range(rng, 6, 8.5))}" fill="#d8341f" stroke="#9e1e10" stroke-width=".8"/>`;
    body += `<circle cx="${f(x - 2)}" cy="${f(y - 2)}" r="2.2" fill="#f5a08f" opacity=".8"/>`;
  }
  for (let i = 0; i < int(rng, 0, 3); i++) {
    const rr = Math.sqrt(rng()) * 34;
    const a = rng() * 6.28;
    body += `<circle cx="${f(rr * Math.cos(a))}" cy="${f(rr * Math.sin(a))}" r="6" fill="#d9ecb0" stroke="#3f7a22" stroke-width="1.5"/>`;
  }
  body += `<circle r="51" fill="url(#bowl${u})" stroke="#8fa6ae" stroke-width="2.5"/>`;
  body += `<path d="M-44,-22 A49,49 0 0 1 -8,-48" stroke="#fff" stroke-opacity=".7" stroke-width="3.5" fill="none" stroke-linecap="round"/>`;
  body += `<path d="M30,38 A49,49 0 0 0 44,22" stroke="#fff" stroke-opacity=".45" stroke-width="2" fill="none"/>`;
  return { defs, body, outline: circlePts(53) };
}

export function drawDessert(rng: Rng, u: string): Drawing {
  if (chance(rng, 0.5)) {
    const cup = pick(rng, ['#f4f4f0', '#f7c6d0', '#d62718', '#f2b705']);
    const drizzle = pick(rng, ['#5a2e12', '#b8651d', '#c2185b']);
    const defs =
      `<radialGradient id="ice${u}" cx=".45" cy=".4" r=".6"><stop offset="0" stop-color="#ffffff"/>` +
      `<stop offset=".8" stop-color="#f3ead8"/><stop offset="1" stop-color="#d8ccb3"/></radialGradient>`;
    let body = `<circle r="28" fill="${cup}" stroke="${shade(cup, -0.35)}" stroke-width="1.5"/>`;
    body += `<circle r="23" fill="url(#ice${u})"/>`;
    for (const r of [17, 11, 5])
      body += `<circle cx="${f(range(rng, -2, 2))}" cy="${f(range(rng, -2, 2))}" r="${r}" fill="none" stroke="#d9ccb2" stroke-width="1.3"/>`;
    let d = 'M-18,-6';
    for (let i = 0; i < 6; i++)
      d += ` Q${f(-12 + i * 6)},${f(range(rng, -16, 16))} ${f(-14 + i * 6 + 3)},${f(range(rng, -10, 10))}`;
    body += `<path d="${d}" stroke="${drizzle}" stroke-width="3" fill="none" stroke-linecap="round"/>`;
    const a = range(rng, 0, 360);
    body += `<rect x="4" y="-3" width="36" height="6" rx="3" fill="${pick(rng, ['#ffffff', '#f2b705', '#e8352a'])}" stroke="#999" stroke-width=".6" transform="rotate(${f(a)})"/>`;
    return { defs, body, outline: circlePts(28.5) };
  }
  const sleeve = pick(rng, ['#d62718', '#8a4b22', '#e07b00', '#f2b705', '#5b2a86']);
  const defs =
    `<linearGradient id="slv${u}" x1="0" x2="0" y1="0" y2="1"><stop offset="0" stop-color="${shade(sleeve, 0.2)}"/>` +
    `<stop offset="1" stop-color="${shade(sleeve, -0.35)}"/></linearGradient>`;
  let body = `<ellipse cx="40" cy="0" rx="7" ry="14" fill="#e0a24a" stroke="#a86a22" stroke-width="1"/>`;
  body += `<rect x="-42" y="-16" width="82" height="32" rx="4" fill="url(#slv${u})" stroke="${shade(sleeve, -0.5)}" stroke-width="1"/>`;
  for (let i = 0; i < 4; i++)
    body += `<path d="M${-28 + i * 16},-9 l6,18" stroke="${shade(sleeve, 0.45)}" stroke-width="2"/>`;
  body += `<circle cx="-30" cy="0" r="6" fill="${pick(rng, ['#ffcc00', '#ffffff'])}" opacity=".85"/>`;
  return { defs, body, outline: rectPts(-42, -16, 47, 16) };
}

export function drawSauce(rng: Rng, _u: string): Drawing {
  const sauce = pick(rng, ['#c0281b', '#e2b21d', '#6b3416', '#f1ece0', '#d46a1f', '#6d8f2a']);
  let body = `<circle r="17" fill="#f4f4f0" stroke="#b9b9b2" stroke-width="1.2"/>`;
  if (chance(rng, 0.6)) {
    body += `<circle r="14.5" fill="${sauce}" stroke="${shade(sauce, -0.3)}" stroke-width="1"/>`;
    body += `<circle r="9" fill="none" stroke="${shade(sauce, 0.35)}" stroke-width="1.2"/>`;
    const a = range(rng, 0, 360);
    body += `<path d="M14,-5 L23,0 L14,5 Z" fill="${shade(sauce, 0.2)}" transform="rotate(${f(a)})"/>`;
  } else {
    body += `<circle r="14" fill="${sauce}"/>`;
    body += `<ellipse cx="-4" cy="-5" rx="6" ry="3.5" fill="#fff" opacity=".35"/>`;
  }
  return { defs: '', body, outline: circlePts(18, 16) };
}
