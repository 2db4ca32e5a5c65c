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
  /**
   * Keep the tray with a margin around it and scale it up to at least MIN_TRAY_WIDTH_PX, so what
   * is on it reads on a tablet(the tray filled a quarter of the picture). Without a
   * tray box the whole frame (or zone) is kept.
   */
  cropToTray?: boolean;
}

const TRAY_MARGIN = 0.25;
const MIN_TRAY_WIDTH_PX = 640;
const MAX_SCALE = 3;

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

/** The tray box grown by TRAY_MARGIN on each side, kept inside `within`; `within` if too small. */
function trayRegion(tray: Box, within: Region): Region {
  const mx = (tray[2] - tray[0]) * TRAY_MARGIN;
  const my = (tray[3] - tray[1]) * TRAY_MARGIN;
  const left = Math.max(within.left, Math.floor(tray[0] - mx));
  const top = Math.max(within.top, Math.floor(tray[1] - my));
  const right = Math.min(within.left + within.width, Math.ceil(tray[2] + mx));
  const bottom = Math.min(within.top + within.height, Math.ceil(tray[3] + my));
  if (right - left < 8 || bottom - top < 8) return within;
  return { left, top, width: right - left, height: bottom - top };
}

/** The output size: the region, scaled up when cropped to a small tray. */
interface Output {
  width: number;
  height: number;
}

function overlay(frame: Frame, r: Region, out: Output, opts: ImageOptions, zoneOnly: boolean): string {
  const parts: string[] = [];
  const sx = out.width / r.width;
  const sy = out.height / r.height;
  const X = (x: number): string => ((x - r.left) * sx).toFixed(1);
  const Y = (y: number): string => ((y - r.top) * sy).toFixed(1);
  const rect = (b: Box, colour: string, width: number): string =>
    `<rect x="${X(b[0])}" y="${Y(b[1])}" width="${((b[2] - b[0]) * sx).toFixed(1)}" ` +
    `height="${((b[3] - b[1]) * sy).toFixed(1)}" fill="none" stroke="${colour}" stroke-width="${width}"/>`;
  if (zoneOnly && opts.zone && opts.zone.length >= 3) {
    // Blank everything outside the polygon inside the cropped rectangle.
    const poly = opts.zone.map((p) => `${X(p[0] * frame.width)} ${Y(p[1] * frame.height)}`);
    parts.push(
      `<path d="M0 0 H${out.width} V${out.height} H0 Z M${poly.join(' L')} Z" fill="#000" fill-rule="evenodd"/>`,
    );
  }
  if (opts.trayBox) parts.push(rect(opts.trayBox, '#ffffff', 3));
  for (const d of opts.boxes) {
    if (opts.trayBox && d.box.every((v, i) => v === opts.trayBox?.[i])) continue;
    const colour = colourOf(d.label);
    parts.push(rect(d.box, colour, 2));
    const x = X(d.box[0]);
    const y = Math.max(11, Number(Y(d.box[1])) - 3).toFixed(1);
    parts.push(
      `<text x="${x}" y="${y}" font-family="DejaVu Sans, sans-serif" font-size="11" fill="${colour}" stroke="#000" ` +
        `stroke-width="0.4">${escapeXml(`${d.label} ${d.score.toFixed(2)}`)}</text>`,
    );
  }
  if (opts.caption) {
    parts.push(
      `<text x="6" y="${out.height - 8}" font-family="DejaVu Sans, sans-serif" font-size="14" font-weight="bold" fill="#fff" ` +
        `stroke="#000" stroke-width="0.6">${escapeXml(opts.caption)}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${out.width}" height="${out.height}">${parts.join('')}</svg>`;
}

export async function renderSnapshot(frame: Frame, opts: ImageOptions, cfg: ImageConfig): Promise<Buffer> {
  let r = regionOf(frame, opts.zone, cfg.zoneOnly);
  if (cfg.cropToTray && opts.trayBox) r = trayRegion(opts.trayBox, r);
  const scale =
    cfg.cropToTray && opts.trayBox && r.width < MIN_TRAY_WIDTH_PX
      ? Math.min(MAX_SCALE, MIN_TRAY_WIDTH_PX / r.width)
      : 1;
  const out = { width: Math.round(r.width * scale), height: Math.round(r.height * scale) };
  const svg = overlay(frame, r, out, opts, cfg.zoneOnly);
  // extract runs before resize and composite in sharp's pipeline, so the overlay matches the output.
  let image = sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).extract(
    r,
  );
  if (scale !== 1) image = image.resize(out.width, out.height);
  return image
    .composite([{ input: Buffer.from(svg), left: 0, top: 0 }])
    .jpeg({ quality: cfg.jpegQuality })
    .toBuffer();
}
