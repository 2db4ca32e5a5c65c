// Camera geometry for photo-realistic training frames: a camera that is not straight overhead
// (obliqueView) and a wide-angle lens (barrelView). Both move every label box with the pixels:
// a box becomes the bounding box of its moved outline, clipped to the frame, and a box pushed
// mostly out of the frame is dropped, as the visible-box rule does.
import sharp from 'sharp';
import { range, type Rng } from './random.js';

export type Labels = Array<{ label: string; box: [number, number, number, number] }>;
type Pt = [number, number];

/** Boxes of the moved outlines (`move` maps a source point to its frame point), clipped. */
function moveBoxes(labels: Labels, W: number, H: number, move: (x: number, y: number) => Pt): Labels {
  const moved: Labels = [];
  for (const { label, box } of labels) {
    const pts: Pt[] = [];
    // Points along the edges: a curved edge (lens) bulges between the corners.
    for (let i = 0; i <= 8; i++) {
      const x = box[0] + ((box[2] - box[0]) * i) / 8;
      const y = box[1] + ((box[3] - box[1]) * i) / 8;
      pts.push(move(x, box[1]), move(x, box[3]), move(box[0], y), move(box[2], y));
    }
    const b = [
      Math.min(...pts.map((p) => p[0])),
      Math.min(...pts.map((p) => p[1])),
      Math.max(...pts.map((p) => p[0])),
      Math.max(...pts.map((p) => p[1])),
    ] as const;
    const cb: [number, number, number, number] = [
      Math.max(0, b[0]),
      Math.max(0, b[1]),
      Math.min(W, b[2]),
      Math.min(H, b[3]),
    ];
    const full = (b[2] - b[0]) * (b[3] - b[1]);
    const kept = Math.max(0, cb[2] - cb[0]) * Math.max(0, cb[3] - cb[1]);
    if (full > 0 && kept / full >= 0.5)
      moved.push({ label, box: cb.map((v) => Math.round(v * 10) / 10) as typeof cb });
  }
  return moved;
}

/**
 * A camera that is not straight overhead: rotation, shear and anisotropic scale (an affine stand-in
 * for perspective), cropped back to the frame.
 */
export async function obliqueView(
  rgb: Buffer,
  W: number,
  H: number,
  labels: Labels,
  rng: Rng,
): Promise<{ rgb: Buffer; labels: Labels }> {
  const t = (range(rng, -5, 5) * Math.PI) / 180;
  const shx = range(rng, -0.14, 0.14);
  const shy = range(rng, -0.08, 0.08);
  const sx = range(rng, 0.92, 1.1);
  const sy = range(rng, 0.85, 1.1);
  const [c, s] = [Math.cos(t), Math.sin(t)];
  // M = R(t) · Shear · Scale
  const m = [(c + -s * shy) * sx, (c * shx - s) * sy, (s + c * shy) * sx, (s * shx + c) * sy] as const;
  const map = (x: number, y: number): Pt => [m[0] * x + m[1] * y, m[2] * x + m[3] * y];
  const corners = [map(0, 0), map(W, 0), map(0, H), map(W, H)];
  const minX = Math.min(...corners.map((p) => p[0]));
  const minY = Math.min(...corners.map((p) => p[1]));
  const { data, info } = await sharp(rgb, { raw: { width: W, height: H, channels: 3 } })
    .affine([m[0], m[1], m[2], m[3]], { background: { r: 110, g: 110, b: 110 }, interpolator: 'bilinear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const f = Math.max(W / info.width, H / info.height);
  const offX = (info.width * f - W) / 2;
  const offY = (info.height * f - H) / 2;
  const out = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .resize(W, H, { fit: 'cover' })
    .raw()
    .toBuffer();
  const move = (x: number, y: number): Pt => {
    const [px, py] = map(x, y);
    return [(px - minX) * f - offX, (py - minY) * f - offY];
  };
  return { rgb: out, labels: moveBoxes(labels, W, H, move) };
}

/**
 * A wide-angle lens (barrel distortion, as cheap overhead cameras have): the frame pixel at
 * radius r (1 = the corner) shows the scene at radius r (1 + k r²) / (1 + k), so the centre is
 * magnified, the edges squeezed and straight lines bow outwards; the corners stay put.
 * `k` in [0.08, 0.3]: a mild to a strong wide-angle lens.
 */
export function barrelView(
  rgb: Buffer,
  W: number,
  H: number,
  labels: Labels,
  rng: Rng,
  k = range(rng, 0.08, 0.3),
): { rgb: Buffer; labels: Labels } {
  const cx = W / 2;
  const cy = H / 2;
  const R = Math.hypot(cx, cy);
  const out = Buffer.alloc(rgb.length);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const dx = (x + 0.5 - cx) / R;
      const dy = (y + 0.5 - cy) / R;
      const g = (1 + k * (dx * dx + dy * dy)) / (1 + k);
      const sx = Math.min(W - 1.001, Math.max(0, cx + dx * g * R - 0.5));
      const sy = Math.min(H - 1.001, Math.max(0, cy + dy * g * R - 0.5));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const o = (y * W + x) * 3;
      const a = (y0 * W + x0) * 3;
      const b = a + W * 3;
      for (let ch = 0; ch < 3; ch++) {
        const top = (rgb[a + ch] as number) * (1 - fx) + (rgb[a + 3 + ch] as number) * fx;
        const bot = (rgb[b + ch] as number) * (1 - fx) + (rgb[b + 3 + ch] as number) * fx;
        out[o + ch] = Math.round(top * (1 - fy) + bot * fy);
      }
    }
  }
  // Scene point at radius s shows at the frame radius r with r (1 + k r²) = s (1 + k): Newton.
  const move = (x: number, y: number): Pt => {
    const dx = (x - cx) / R;
    const dy = (y - cy) / R;
    const s = Math.hypot(dx, dy);
    if (s === 0) return [x, y];
    let r = s;
    for (let i = 0; i < 8; i++) r -= (r + k * r * r * r - s * (1 + k)) / (1 + 3 * k * r * r);
    return [cx + (dx / s) * r * R, cy + (dy / s) * r * R];
  };
  return { rgb: out, labels: moveBoxes(labels, W, H, move) };
}
