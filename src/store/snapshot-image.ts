// The snapshot picture: the frame (or only its check zone) as JPEG with the tray and item boxes
// and their labels drawn on through an SVG overlay (sharp renders SVG with librsvg).
import sharp from 'sharp';
import type { Box, Detection, Frame } from '../types.js';

export interface ImageOptions {
  boxes: Detection[];
  trayBox?: Box;
  zone?: readonly (readonly [number, number])[];
  caption?: string;
}

export interface ImageConfig {
  zoneOnly: boolean;
  jpegQuality: number;
}

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

const PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#bfef45',
  '#fabed4',
];

const colourOf = (label: string): string => {
  let h = 0;
  for (const ch of label) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? '#ffffff';
};

const escapeXml = (s: string): string =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/** The zone's bounding box in pixels (whole frame without a zone). */
function regionOf(frame: Frame, zone: ImageOptions['zone'], zoneOnly: boolean): Region {
  if (!zoneOnly || !zone || zone.length < 3)
    return { left: 0, top: 0, width: frame.width, height: frame.height };
  const xs = zone.map((p) => p[0] * frame.width);
  const ys = zone.map((p) => p[1] * frame.height);
  const left = Math.max(0, Math.floor(Math.min(...xs)));
  const top = Math.max(0, Math.floor(Math.min(...ys)));
  const right = Math.min(frame.width, Math.ceil(Math.max(...xs)));
  const bottom = Math.min(frame.height, Math.ceil(Math.max(...ys)));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

function overlay(frame: Frame, r: Region, opts: ImageOptions, zoneOnly: boolean): string {
  const parts: string[] = [];
  const rect = (b: Box, colour: string, width: number): string =>
    `<rect x="${(b[0] - r.left).toFixed(1)}" y="${(b[1] - r.top).toFixed(1)}" width="${(b[2] - b[0]).toFixed(1)}" ` +
    `height="${(b[3] - b[1]).toFixed(1)}" fill="none" stroke="${colour}" stroke-width="${width}"/>`;
  if (zoneOnly && opts.zone && opts.zone.length >= 3) {
    // Blank everything outside the polygon inside the cropped rectangle.
    const poly = opts.zone.map(
      (p) => `${(p[0] * frame.width - r.left).toFixed(1)} ${(p[1] * frame.height - r.top).toFixed(1)}`,
    );
    parts.push(
      `<path d="M0 0 H${r.width} V${r.height} H0 Z M${poly.join(' L')} Z" fill="#000" fill-rule="evenodd"/>`,
    );
  }
  if (opts.trayBox) parts.push(rect(opts.trayBox, '#ffffff', 3));
  for (const d of opts.boxes) {
    if (opts.trayBox && d.box.every((v, i) => v === opts.trayBox?.[i])) continue;
    const colour = colourOf(d.label);
    parts.push(rect(d.box, colour, 2));
    const x = (d.box[0] - r.left).toFixed(1);
    const y = Math.max(11, d.box[1] - r.top - 3).toFixed(1);
    parts.push(
      `<text x="${x}" y="${y}" font-family="DejaVu Sans, sans-serif" font-size="11" fill="${colour}" stroke="#000" ` +
        `stroke-width="0.4">${escapeXml(`${d.label} ${d.score.toFixed(2)}`)}</text>`,
    );
  }
  if (opts.caption) {
    parts.push(
      `<text x="6" y="${r.height - 8}" font-family="DejaVu Sans, sans-serif" font-size="14" font-weight="bold" fill="#fff" ` +
        `stroke="#000" stroke-width="0.6">${escapeXml(opts.caption)}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${r.width}" height="${r.height}">${parts.join('')}</svg>`;
}

export async function renderSnapshot(frame: Frame, opts: ImageOptions, cfg: ImageConfig): Promise<Buffer> {
  const r = regionOf(frame, opts.zone, cfg.zoneOnly);
  const svg = overlay(frame, r, opts, cfg.zoneOnly);
  // extract runs before composite in sharp's pipeline, so the overlay matches the cropped size.
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .extract(r)
    .composite([{ input: Buffer.from(svg), left: 0, top: 0 }])
    .jpeg({ quality: cfg.jpegQuality })
    .toBuffer();
}
