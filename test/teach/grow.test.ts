// tools/train/grow.py: a checkpoint's class heads grow for the store's new labels.
// Runs the real module with the real shipped checkpoint under /usr/bin/python3 (skipped, with a
// message, where PyTorch is missing). The model is not built: grow.py only touches `cls.`/`box.`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/daemon.js';

const torch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { timeout: 60_000 }).status === 0;
if (!torch)
  console.warn('SKIPPED test/teach/grow.test.ts: /usr/bin/python3 cannot import torch (python3-torch)');

const CHECK = `
import json, sys, torch
sys.path.insert(0, "tools/train")
from grow import grow_state
ck = torch.load("models/checkpoints/traycheck-det-v2.pt", map_location="cpu")
src, names = ck["ema"], ck["names"]
new = names + ["hotdog", "poutine"]
per = {"cls.": 1, "box.": 4}
def fresh_for(n):
    out = {}
    for k, v in src.items():
        p = next((q for q in per if k.startswith(q)), None)
        out[k] = torch.full((per[p] * n,) + tuple(v.shape[1:]), 7.0) if p else torch.zeros_like(v)
    return out
state, what = grow_state(src, names, new, fresh_for(len(new)))
reordered, _ = grow_state(src, names, ["hotdog"] + names, fresh_for(len(names) + 1))
print(json.dumps({
  "what": what,
  "shapes": {k: list(state[k].shape) for k in ("cls.weight", "cls.bias", "box.weight", "box.bias")},
  "known_copied": all(torch.equal(state[k][: len(src[k])], src[k]) for k in src if k.startswith(("cls.", "box."))),
  "others_copied": all(torch.equal(state[k], src[k]) for k in src if not k.startswith(("cls.", "box."))),
  "new_rows_fresh": bool((state["cls.bias"][10:] == 7).all() and (state["box.weight"][40:] == 7).all()),
  "by_name": bool(torch.equal(reordered["box.bias"][4:8], src["box.bias"][0:4]) and (reordered["cls.bias"][0] == 7)),
}))
`;

describe.skipIf(!torch)('tools/train/grow.py', () => {
  it('copies every tensor and the known classes’ rows, and leaves new classes’ rows as initialised', () => {
    const r = spawnSync('/usr/bin/python3', ['-c', CHECK], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    expect(out.what).toBe('classes 10 -> 12, new: hotdog, poutine');
    expect(out.shapes).toEqual({
      'cls.weight': [12, 64, 1, 1],
      'cls.bias': [12],
      'box.weight': [48, 64, 1, 1],
      'box.bias': [48],
    });
    expect(out).toMatchObject({
      known_copied: true,
      others_copied: true,
      new_rows_fresh: true,
      by_name: true,
    });
  });

  it('is what train.py --init uses', () => {
    const r = spawnSync('/usr/bin/python3', [join('tools', 'train', 'train.py'), '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
  });
});
