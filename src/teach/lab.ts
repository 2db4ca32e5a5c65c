// sRGB → CIELAB (D65). The cut-out thresholds colour distance in Lab because a ΔE of ~10 is
// about the same visible step for every hue and brightness, which RGB distance is not: a
// burger bun on a beige backdrop and a dark dip on a grey one need the same threshold.

const lin = new Float32Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  lin[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);

/** Lab of every pixel of an interleaved 8-bit image (`channels` 3 or 4; alpha ignored). */
export function toLab(data: Uint8Array, width: number, height: number, channels: number): Float32Array {
  const n = width * height;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    const r = lin[data[o] as number] as number;
    const g = lin[data[o + 1] as number] as number;
    const b = lin[data[o + 2] as number] as number;
    const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
    const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
    const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
    out[i * 3] = 116 * y - 16;
    out[i * 3 + 1] = 500 * (x - y);
    out[i * 3 + 2] = 200 * (y - z);
  }
  return out;
}
