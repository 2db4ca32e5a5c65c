// The second opinion's rules (pure logic; the real model's second head is checked in
// yolox-backbone.test.ts and on real photos in real-nonfood.test.ts and second-opinion-model.test.ts).
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/detect/errors.js';
import { decodeCoco, parseSecondOpinion, applySecondOpinion } from '../../src/detect/second-opinion.js';
import type { Detection } from '../../src/types.js';

const LABELS = ['tray', 'burger', 'fries', 'drink', 'dessert', 'sauce', 'hand'];
const META = {
  names: ['person', 'cup', 'sandwich', 'clock', 'pizza', 'bowl', 'cake'],
  aliases: { cup: 'drink', sandwich: 'burger', cake: 'dessert' },
  otherFood: ['pizza'],
  neutral: ['person', 'bowl', 'cup', 'sandwich', 'cake'],
};
const det = (label: string, score: number, box: Detection['box']): Detection => ({ label, score, box });
const coco = (name: string, score: number, box: Detection['box']) => ({ name, score, box });
const opts = {
  minScore: 0.5,
  doubtScore: 0.3,
  iou: 0.45,
  scoreRatio: 0.7,
  reported: (l: string) => (LABELS.includes(l) ? l : null),
};

describe('applySecondOpinion', () => {
  it('drops an item the COCO head confidently sees as something that is not food', () => {
    const out = applySecondOpinion(
      [det('drink', 0.59, [10, 10, 50, 50]), det('tray', 0.3, [0, 0, 200, 100])],
      [coco('clock', 0.84, [11, 9, 51, 49])],
      META,
      opts,
    );
    expect(out).toEqual([det('tray', 0.3, [0, 0, 200, 100])]);
  });

  it('makes an item uncertain that it sees as food not on the menu (no rival), or as another menu item (its rival)', () => {
    const out = applySecondOpinion(
      [det('dessert', 0.46, [10, 10, 90, 90]), det('fries', 0.7, [200, 10, 260, 60])],
      [coco('pizza', 0.8, [12, 10, 92, 88]), coco('sandwich', 0.6, [201, 12, 258, 61])],
      META,
      opts,
    );
    expect(out).toEqual([
      { ...det('fries', 0.7, [200, 10, 260, 60]), uncertain: true, rival: 'burger' },
      { ...det('dessert', 0.46, [10, 10, 90, 90]), uncertain: true },
    ]);
  });

  it('leaves an item alone when the COCO box is much less sure than ours (a drawn bun is no orange)', () => {
    const ours = [det('burger', 0.98, [10, 10, 60, 60]), det('nuggets', 0.89, [100, 10, 150, 60])];
    const out = applySecondOpinion(
      ours,
      [coco('pizza', 0.44, [10, 10, 60, 60]), coco('clock', 0.81, [100, 10, 150, 60])],
      META,
      opts,
    );
    expect(out).toEqual(ours);
  });

  it('keeps an item it agrees with or is neutral about, and ignores weak COCO boxes', () => {
    const ours = [det('drink', 0.8, [10, 10, 50, 50]), det('burger', 0.7, [100, 10, 160, 60])];
    const out = applySecondOpinion(
      ours,
      [
        coco('cup', 0.9, [10, 10, 50, 50]),
        coco('bowl', 0.9, [100, 10, 160, 60]),
        coco('clock', 0.4, [10, 10, 50, 50]),
      ],
      META,
      opts,
    );
    expect(out).toEqual(ours);
  });

  it('adds a menu item where our head saw nothing, once, marked as the second opinion', () => {
    const out = applySecondOpinion(
      [det('tray', 0.9, [0, 0, 300, 200])],
      [
        coco('sandwich', 0.72, [20, 20, 120, 100]),
        coco('cup', 0.3, [150, 20, 190, 80]),
        coco('pizza', 0.9, [200, 100, 290, 190]),
      ],
      META,
      opts,
    );
    expect(out).toEqual([
      det('tray', 0.9, [0, 0, 300, 200]),
      { label: 'burger', score: 0.72, box: [20, 20, 120, 100], source: 'second-opinion' },
    ]);
  });

  it('adds nothing where one of our items already covers the object, or for a label the store lacks', () => {
    const ours = [det('fries', 0.6, [20, 20, 60, 100])]; // inside the sandwich's box
    const out = applySecondOpinion(
      ours,
      [coco('sandwich', 0.72, [20, 20, 120, 100]), coco('cake', 0.8, [200, 20, 260, 80])],
      META,
      { ...opts, reported: (l) => (l === 'dessert' ? null : l) },
    );
    expect(out).toEqual(ours);
  });

  it('never touches the tray or a hand', () => {
    const ours = [det('tray', 0.9, [0, 0, 100, 100]), det('hand', 0.8, [10, 10, 40, 40])];
    expect(
      applySecondOpinion(
        ours,
        [coco('clock', 0.9, [0, 0, 100, 100]), coco('clock', 0.9, [10, 10, 40, 40])],
        META,
        opts,
      ),
    ).toEqual(ours);
  });
});

describe('decodeCoco', () => {
  it('keeps boxes at or above the score, class-wise NMS, maps them to frame pixels', () => {
    const row = (box: number[], scores: number[]) => [...box, ...scores];
    const rows = [
      row([10, 10, 50, 50], [0, 0.9, 0, 0, 0, 0, 0]),
      row([12, 10, 52, 50], [0, 0.8, 0, 0, 0, 0, 0]), // same cup, weaker: suppressed
      row([100, 10, 150, 60], [0, 0, 0, 0.2, 0, 0, 0]), // too weak
    ];
    const data = Float32Array.from(rows.flat());
    const geometry = {
      srcW: 200,
      srcH: 100,
      dstW: 100,
      dstH: 50,
      scale: 0.5,
      newW: 100,
      newH: 50,
      padX: 0,
      padY: 0,
    };
    const out = decodeCoco(data, [1, 3, 11], META, geometry, {
      minScore: 0.5,
      nmsIou: 0.45,
      maxDetections: 10,
    });
    expect(out).toHaveLength(1);
    expect(out[0]!.name).toBe('cup');
    expect(out[0]!.score).toBeCloseTo(0.9);
    expect(out[0]!.box).toEqual([20, 20, 100, 100]);
  });
});

describe('parseSecondOpinion', () => {
  it('reads what the export writes', () => {
    expect(parseSecondOpinion('m.onnx', JSON.stringify(META), LABELS)).toEqual(META);
  });

  it.each([
    ['not json', 'not JSON'],
    [JSON.stringify({ ...META, names: [] }), 'names must be a list'],
    [JSON.stringify({ ...META, neutral: 'cup' }), 'neutral must be a list'],
    [JSON.stringify({ ...META, aliases: { spoon: 'drink' } }), '"spoon" is not one of its class names'],
    [JSON.stringify({ ...META, aliases: { cup: 'coffee' } }), '"coffee" is not one of the model\'s labels'],
  ])('refuses %s', (text, message) => {
    expect(() => parseSecondOpinion('m.onnx', text, LABELS)).toThrow(ModelError);
    expect(() => parseSecondOpinion('m.onnx', text, LABELS)).toThrow(message);
  });
});
