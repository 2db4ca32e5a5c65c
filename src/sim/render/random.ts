// Small helpers over the seeded PRNG so every render is a pure function of its scene.
import { mulberry32, type Rng } from '../rng.js';

export type { Rng };

/** Mixes several integers into one 32-bit seed (so item k of tray t gets its own stream). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

export function rngFor(...parts: number[]): Rng {
  return mulberry32(mixSeed(...parts));
}

export function range(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

export function int(rng: Rng, lo: number, hiInclusive: number): number {
  return lo + Math.floor(rng() * (hiInclusive - lo + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const v = items[Math.floor(rng() * items.length)];
  if (v === undefined) throw new Error('pick from empty list');
  return v;
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

/** Approximately normal (Irwin–Hall with 4 terms), mean 0, sd 1. */
export function gauss(rng: Rng): number {
  return (rng() + rng() + rng() + rng() - 2) * 1.732;
}

/** Rounds to 2 decimals: keeps SVG text short and scene JSON readable. */
export function r2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Shifts an sRGB hex colour's lightness by `amount` (-1..1). */
export function shade(hex: string, amount: number): string {
  const n = parseInt(hex.slice(1), 16);
  const ch = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) =>
    Math.max(0, Math.min(255, Math.round(amount >= 0 ? c + (255 - c) * amount : c * (1 + amount)))),
  );
  return `#${ch.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** Blends two hex colours, t = 0 gives a, 1 gives b. */
export function mix(a: string, b: string, t: number): string {
  const na = parseInt(a.slice(1), 16);
  const nb = parseInt(b.slice(1), 16);
  const out = [16, 8, 0].map((s) => Math.round(((na >> s) & 255) * (1 - t) + ((nb >> s) & 255) * t));
  return `#${out.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}
