// Candidate models for promotion tests, made from the shipped model without training: the same
// network with one more metadata entry (another sha256), or with other class names. ONNX is
// protobuf, and a repeated field (ModelProto.metadata_props = 14) may be appended at the end.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/daemon.js';

export const SHIPPED = join(ROOT, 'models', 'traycheck-det.onnx');

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}
const field = (no: number, bytes: Buffer): Buffer =>
  Buffer.concat([varint(no * 8 + 2), varint(bytes.length), bytes]);

/** The shipped model with extra metadata entries (a later entry with the same key wins). */
export function shippedWith(file: string, metadata: Record<string, string>): string {
  const entries = Object.entries(metadata).map(([k, v]) =>
    field(14, Buffer.concat([field(1, Buffer.from(k)), field(2, Buffer.from(v))])),
  );
  writeFileSync(file, Buffer.concat([readFileSync(SHIPPED), ...entries]));
  return file;
}
