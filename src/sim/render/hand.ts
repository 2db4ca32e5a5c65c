// A hand (bare or gloved) with forearm and sleeve reaching in from outside the frame.
// Local frame: fingers point along +x, the arm runs off along -x far past any frame edge.
import { chance, pick, range, shade, type Rng } from './random.js';
import { type Drawing, type Pt } from './shapes.js';

const f = (v: number): string => v.toFixed(1);
const SKINS = ['#f1c7a5', '#e8b894', '#d9a077', '#c68a5e', '#a86b45', '#8d5a3b', '#5e3a25'];
const GLOVES = ['#2f63c9', '#1b1b1b', '#e9e4de', '#5a7fd6', '#7b3fa0'];

/** Palm + fingers + thumb: the part labelled `hand`. */
export const HAND_OUTLINE: Pt[] = [
  [-30, -44],
  [30, -46],
  [74, -24],
  [74, 24],
  [10, 34],
  [-30, 30],
];

export function drawHand(rng: Rng, u: string): Drawing {
  const glove = chance(rng, 0.35);
  const skin = glove ? pick(rng, GLOVES) : pick(rng, SKINS);
  const forearm = glove && chance(rng, 0.5) ? skin : pick(rng, SKINS);
  const sleeve = pick(rng, ['#1b1b1b', '#b3261e', '#1f3b70', '#6b6b6b', '#f0f0f0', '#2e5d34']);
  const defs =
    `<radialGradient id="skn${u}" cx=".45" cy=".4" r=".7"><stop offset="0" stop-color="${shade(skin, 0.15)}"/>` +
    `<stop offset="1" stop-color="${shade(skin, -0.25)}"/></radialGradient>`;
  const edge = shade(skin, -0.35);
  const sleeveStart = range(rng, -150, -80);
  let body = `<rect x="-900" y="-31" width="${f(900 + sleeveStart)}" height="62" rx="12" fill="${sleeve}"/>`;
  body += `<rect x="-900" y="-31" width="${f(900 + sleeveStart)}" height="10" fill="#fff" opacity=".08"/>`;
  body += `<rect x="${f(sleeveStart - 4)}" y="-22" width="${f(-sleeveStart)}" height="44" rx="18" fill="${forearm}" stroke="${shade(forearm, -0.3)}" stroke-width="1"/>`;
  const curl = range(rng, 0.75, 1);
  const fingers: Array<[number, number]> = [
    [-19, 36],
    [-6, 42],
    [7, 40],
    [19, 32],
  ];
  for (const [y, len] of fingers) {
    body += `<rect x="18" y="${f(y - 6)}" width="${f(len * curl + 14)}" height="12" rx="6" fill="url(#skn${u})" stroke="${edge}" stroke-width=".9"/>`;
  }
  body += `<rect x="0" y="-6.5" width="40" height="13" rx="6.5" fill="url(#skn${u})" stroke="${edge}" stroke-width=".9" transform="translate(-2 -16) rotate(-40)"/>`;
  body += `<ellipse cx="6" cy="0" rx="32" ry="28" fill="url(#skn${u})" stroke="${edge}" stroke-width="1"/>`;
  body += `<path d="M18,-13 L30,-13 M18,0 L30,0 M18,13 L30,13" stroke="${edge}" stroke-width=".8" opacity=".6"/>`;
  return { defs, body, outline: HAND_OUTLINE };
}
