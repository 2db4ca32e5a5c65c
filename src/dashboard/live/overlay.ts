// The live view's drawing: check zone, detections and trays as one SVG laid over the frame.
import type { Detection, FrameDetections } from '../../types.js';
import type { LiveTray } from '../types.js';

const escXml = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface OverlayInput {
  width: number;
  height: number;
  zone: [number, number][] | undefined;
  detections: FrameDetections | null;
  trays: LiveTray[];
}

const COLORS: Record<string, string> = { tray: '#ffd400' };
const colorOf = (label: string): string => {
  const known = COLORS[label];
  if (known) return known;
  let h = 0;
  for (const ch of label) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return `hsl(${h},90%,60%)`;
};

function box(d: Detection, sx: number, sy: number): string {
  const [x1, y1, x2, y2] = d.box;
  const c = colorOf(d.label);
  const x = (x1 * sx).toFixed(1);
  const y = (y1 * sy).toFixed(1);
  const label = `${escXml(d.label)} ${Math.round(d.score * 100)}`;
  return (
    `<rect x="${x}" y="${y}" width="${((x2 - x1) * sx).toFixed(1)}" height="${((y2 - y1) * sy).toFixed(1)}" fill="none" stroke="${c}" stroke-width="2"/>` +
    `<text x="${x}" y="${Math.max(10, y1 * sy - 3).toFixed(1)}" fill="${c}" font-size="11" font-family="sans-serif">${label}</text>`
  );
}

export function overlaySvg(o: OverlayInput): string {
  const parts: string[] = [];
  if (o.zone && o.zone.length >= 3) {
    const pts = o.zone.map(([x, y]) => `${(x * o.width).toFixed(1)},${(y * o.height).toFixed(1)}`).join(' ');
    parts.push(
      `<polygon points="${pts}" fill="none" stroke="#00e5ff" stroke-width="2" stroke-dasharray="8 6"/>`,
    );
  }
  const d = o.detections;
  if (d && d.width > 0 && d.height > 0) {
    const sx = o.width / d.width;
    const sy = o.height / d.height;
    for (const det of d.detections) parts.push(box(det, sx, sy));
  }
  for (const t of o.trays) {
    const [x1, y1, x2, y2] = t.box;
    const c = t.settled ? '#00ff6a' : '#ffd400';
    parts.push(
      `<rect x="${x1}" y="${y1}" width="${x2 - x1}" height="${y2 - y1}" fill="none" stroke="${c}" stroke-width="4"/>`,
      `<text x="${x1 + 4}" y="${y2 - 6}" fill="${c}" font-size="14" font-weight="bold" font-family="sans-serif">${escXml(
        `${t.trayId}${t.orderId ? ` → #${t.orderId}` : ''}${t.settled ? ' (settled)' : ''}`,
      )}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${o.height}">${parts.join('')}</svg>`;
}
