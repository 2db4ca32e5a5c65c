// Draws detections on an image (SVG overlay composited by sharp) for `traycheck detect --annotate`.
import sharp from 'sharp';
import type { Detection } from '../types.js';

const COLORS = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#46f0f0',
  '#f032e6',
  '#bcf60c',
  '#008080',
  '#9a6324',
];

const xml = (s: string): string => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function colorOf(label: string): string {
  let h = 0;
  for (const ch of label) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLORS[h % COLORS.length] as string;
}

export function overlaySvg(width: number, height: number, detections: readonly Detection[]): string {
  const line = Math.max(2, Math.round(Math.min(width, height) / 250));
  const font = Math.max(12, Math.round(Math.min(width, height) / 30));
  const parts = detections.map((d) => {
    const [x1, y1, x2, y2] = d.box.map((v) => Math.round(v)) as [number, number, number, number];
    const color = colorOf(d.label);
    const text = `${xml(d.label)} ${d.score.toFixed(2)}`;
    const ty = y1 - font - 4 >= 0 ? y1 - font - 4 : y1;
    const tw = Math.round(text.length * font * 0.6) + 8;
    return (
      `<rect x="${x1}" y="${y1}" width="${x2 - x1}" height="${y2 - y1}" fill="none" stroke="${color}" stroke-width="${line}"/>` +
      `<rect x="${x1}" y="${ty}" width="${tw}" height="${font + 4}" fill="${color}"/>` +
      `<text x="${x1 + 4}" y="${ty + font}" font-family="sans-serif" font-size="${font}" fill="#fff">${text}</text>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

/** Writes `rgb` (width × height × 3) with the detections drawn as a JPEG file. */
export async function writeAnnotated(
  file: string,
  rgb: Buffer,
  width: number,
  height: number,
  detections: readonly Detection[],
): Promise<void> {
  const svg = Buffer.from(overlaySvg(width, height, detections));
  await sharp(rgb, { raw: { width, height, channels: 3 } })
    .composite([{ input: svg, top: 0, left: 0 }])
    .jpeg({ quality: 90 })
    .toFile(file);
}
