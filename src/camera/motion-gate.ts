// Frame-difference motion gate: pure logic, time comes in with the frame.
// With nothing changing inside the check zone, detection only needs a frame now and then
// (`idleFps`); any change brings the full rate back on the very same frame, and the full rate
// is held for `holdMs` after the last change so a settling tray is watched for the whole settle
// window. The difference is taken on a grey image at 1/`scale` resolution, only in the cells whose
// centre lies inside the zone polygon (mask precomputed once).

export type ZonePoint = readonly [number, number];

export interface MotionGateOptions {
  width: number;
  height: number;
  /** Polygon in 0..1 of frame width/height. */
  zone: readonly ZonePoint[];
  /** Full detection rate (the camera fps): used for the idle-rate tolerance. */
  fps: number;
  idleFps: number;
  /** Fraction of zone cells that must change to count as motion; 0 disables the gate. */
  motionThreshold: number;
  holdMs: number;
  /** Downscale factor of the grey image (cell size in pixels). */
  scale?: number;
  /**
   * Grey-level change (0..255) of a cell mean that counts as changed. Measured on an H.264
   * stream (x264 ultrafast, 640x480 → 320x240): compression flicker at sharp edges moves cell
   * means by up to ~12 levels (8 flags 2 % of a still SMPTE chart, 16 flags ≤ 0.4 %), a moving
   * object by far more (the same 1.3 % of cells at 8 and at 24).
   */
  cellDelta?: number;
}

export interface GateDecision {
  /** Send this frame to detection. */
  forward: boolean;
  /** The gate runs at the idle rate (no motion within the hold period). */
  idle: boolean;
  /** Fraction of zone cells that changed since the previous frame (1 on the first frame). */
  changed: number;
}

export interface MotionGate {
  check(data: Buffer, ts: number): GateDecision;
  reset(): void;
}

export interface ZoneMask {
  cols: number;
  rows: number;
  /** Indices (row * cols + col) of the cells inside the zone. */
  cells: Uint32Array;
}

export function pointInPolygon(x: number, y: number, poly: readonly ZonePoint[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i] as ZonePoint;
    const [xj, yj] = poly[j] as ZonePoint;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function zoneMask(width: number, height: number, zone: readonly ZonePoint[], scale: number): ZoneMask {
  const cols = Math.ceil(width / scale);
  const rows = Math.ceil(height / scale);
  const cells: number[] = [];
  for (let r = 0; r < rows; r++) {
    const cy = Math.min((r + 0.5) * scale, height - 0.5) / height;
    for (let c = 0; c < cols; c++) {
      const cx = Math.min((c + 0.5) * scale, width - 0.5) / width;
      if (pointInPolygon(cx, cy, zone)) cells.push(r * cols + c);
    }
  }
  return { cols, rows, cells: Uint32Array.from(cells) };
}

/** Mean grey level of each masked cell, sampling every second pixel of every second row. */
function cellMeans(
  data: Buffer,
  width: number,
  height: number,
  scale: number,
  mask: ZoneMask,
  out: Float32Array,
): void {
  for (let i = 0; i < mask.cells.length; i++) {
    const cell = mask.cells[i] as number;
    const x0 = (cell % mask.cols) * scale;
    const y0 = Math.floor(cell / mask.cols) * scale;
    const x1 = Math.min(x0 + scale, width);
    const y1 = Math.min(y0 + scale, height);
    let sum = 0;
    let n = 0;
    for (let y = y0; y < y1; y += 2) {
      let p = (y * width + x0) * 3;
      for (let x = x0; x < x1; x += 2, p += 6) {
        // BT.601 luma in integer arithmetic.
        sum += ((data[p] as number) * 77 + (data[p + 1] as number) * 150 + (data[p + 2] as number) * 29) >> 8;
        n++;
      }
    }
    out[i] = n === 0 ? 0 : sum / n;
  }
}

export function createMotionGate(opts: MotionGateOptions): MotionGate {
  const scale = opts.scale ?? 8;
  const cellDelta = opts.cellDelta ?? 16;
  const mask = zoneMask(opts.width, opts.height, opts.zone, scale);
  // A zone too small to hold one cell cannot be watched: never gate rather than miss trays.
  const enabled = opts.motionThreshold > 0 && mask.cells.length > 0;
  const frameBytes = opts.width * opts.height * 3;
  // Frames arrive with jitter: allow half a frame interval early so 1 fps does not become 0.8.
  const idleIntervalMs = 1000 / opts.idleFps - 500 / opts.fps;
  let prev: Float32Array<ArrayBuffer> | null = null;
  let cur = new Float32Array(mask.cells.length);
  let lastMotionTs: number | null = null;
  let lastForwardTs: number | null = null;

  return {
    check(data, ts) {
      if (!enabled) return { forward: true, idle: false, changed: 0 };
      if (data.length < frameBytes) throw new Error(`frame has ${data.length} bytes, expected ${frameBytes}`);
      cellMeans(data, opts.width, opts.height, scale, mask, cur);
      let changed = 1;
      if (prev) {
        let n = 0;
        for (let i = 0; i < cur.length; i++)
          if (Math.abs((cur[i] as number) - (prev[i] as number)) > cellDelta) n++;
        changed = n / cur.length;
      }
      const spare = prev ?? new Float32Array(mask.cells.length);
      prev = cur;
      cur = spare;

      if (changed > opts.motionThreshold) lastMotionTs = ts;
      const active = lastMotionTs !== null && ts - lastMotionTs < opts.holdMs;
      const forward = active || lastForwardTs === null || ts - lastForwardTs >= idleIntervalMs;
      if (forward) lastForwardTs = ts;
      return { forward, idle: !active, changed };
    },
    reset() {
      prev = null;
      lastMotionTs = null;
      lastForwardTs = null;
    },
  };
}
