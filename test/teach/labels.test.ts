// The store's label registry (src/teach/labels.ts): what a new label may be, its order, the cap.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addNewLabel,
  LabelError,
  MAX_NEW_LABELS,
  newLabelProblem,
  newLabels,
} from '../../src/teach/labels.js';
import { tempDir } from '../helpers/daemon.js';

const MODEL = ['tray', 'burger', 'fries', 'drink', 'nuggets', 'wrap', 'salad', 'dessert', 'sauce', 'hand'];
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const dataDir = (): string => {
  const d = tempDir();
  dirs.push(d);
  return d;
};

describe('new labels', () => {
  it('are recorded once, in the order created', () => {
    const d = dataDir();
    expect(newLabels(d)).toEqual([]);
    expect(addNewLabel(d, 'hotdog', MODEL)).toBe(true);
    expect(addNewLabel(d, 'poutine', MODEL)).toBe(true);
    expect(addNewLabel(d, 'hotdog', MODEL)).toBe(false);
    expect(JSON.parse(readFileSync(join(d, 'teach', 'labels.json'), 'utf8'))).toEqual({
      labels: ['hotdog', 'poutine'],
    });
  });

  it.each([
    ['Hotdog', /lowercase/],
    ['hot dog', /lowercase/],
    ['hot-dog', /lowercase/],
    ['9lives', /start with a letter/],
    ['', /start with a letter/],
    ['a'.repeat(33), /at most 32/],
    ['burger', /already a model label/],
    ['tray', /already a model label/],
    ['nug_gets', /too close to the existing label "nuggets"/],
  ])('refuses %j', (label, why) => {
    const d = dataDir();
    expect(newLabelProblem(d, label, MODEL)).toMatch(why);
    expect(() => addNewLabel(d, label, MODEL)).toThrow(LabelError);
    expect(newLabels(d)).toEqual([]);
  });

  it('refuses one too close to a label the store created, and more than the cap', () => {
    const d = dataDir();
    addNewLabel(d, 'hotdog', MODEL);
    expect(newLabelProblem(d, 'hot_dog', MODEL)).toMatch(/too close to the existing label "hotdog"/);
    for (let i = 1; i < MAX_NEW_LABELS; i++) addNewLabel(d, `item_${String.fromCharCode(96 + i)}`, MODEL);
    expect(newLabels(d)).toHaveLength(MAX_NEW_LABELS);
    expect(newLabelProblem(d, 'one_more', MODEL)).toMatch(/already has 16 new labels/);
    // Adding photos to a label that exists is still fine.
    expect(newLabelProblem(d, 'hotdog', MODEL)).toBeNull();
  });
});
