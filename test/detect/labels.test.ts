import { describe, expect, it } from 'vitest';
import { resolveFamily, type FamilyHints } from '../../src/detect/decoders/index.js';
import { applyAliases, checkMenuLabels, parseImgsz, parseNames } from '../../src/detect/labels.js';
import { boxCentreInZone, filterToZone, pointInPolygon } from '../../src/detect/zone.js';
import type { Menu } from '../../src/config/schema.js';

describe('class names', () => {
  it('parses JSON arrays, indexed objects and Ultralytics Python dicts', () => {
    expect(parseNames('["tray", "burger"]')).toEqual(['tray', 'burger']);
    expect(parseNames('{"1": "b", "0": "a"}')).toEqual(['a', 'b']);
    expect(parseNames("{0: 'person', 1: 'hot dog', 2: \"men's shirt\", 3: 'it\\'s'}")).toEqual([
      'person',
      'hot dog',
      "men's shirt",
      "it's",
    ]);
    expect(parseNames('{0: person}')).toBeNull();
    expect(parseNames('{0: "a", 2: "c"}')).toBeNull();
    expect(parseNames('[1, 2]')).toBeNull();
  });

  it('applies aliases to model labels', () => {
    expect(applyAliases(['sandwich', 'cup', 'pizza'], { sandwich: 'burger', cup: 'drink' })).toEqual([
      'burger',
      'drink',
      'pizza',
    ]);
  });

  it('names the menu labels the model cannot produce, ignoring unverifiable items', () => {
    const menu: Menu = {
      COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 }, verify: true },
      NUGGETS6: { name: '6 Nuggets', contains: { nuggets: 1 }, verify: true },
      SAUCE: { name: 'Sauce', contains: { dip: 1 }, verify: false },
    };
    expect(checkMenuLabels(menu, ['burger', 'drink'])).toEqual(['fries', 'nuggets']);
    expect(
      checkMenuLabels(
        menu,
        applyAliases(['sandwich', 'cup', 'fries', 'nuggets'], { sandwich: 'burger', cup: 'drink' }),
      ),
    ).toEqual([]);
  });

  it('parses imgsz as [H, W] or a single size', () => {
    expect(parseImgsz('[224, 384]')).toEqual([224, 384]);
    expect(parseImgsz('640')).toEqual([640, 640]);
    expect(parseImgsz('[1, 2, 3]')).toBeNull();
    expect(parseImgsz('huge')).toBeNull();
    expect(parseImgsz(undefined)).toBeNull();
  });
});

describe('family choice', () => {
  const base: FamilyHints = {
    configured: 'auto',
    metadata: {},
    outputDims: [1, 3549, 85],
    numClasses: 80,
    inputW: 416,
    inputH: 416,
  };
  const cases: Array<[string, Partial<FamilyHints>, string]> = [
    ['config wins over everything', { configured: 'yolov8', metadata: { family: 'traycheck' } }, 'yolov8'],
    [
      'metadata family',
      { metadata: { family: 'traycheck', task: 'detect' }, outputDims: [1, 100, 14], numClasses: 10 },
      'traycheck',
    ],
    ['YOLOX shape with 80 labels', {}, 'yolox'],
    ['traycheck shape with labels', { outputDims: [1, 3549, 84] }, 'traycheck'],
    [
      'Ultralytics names, [1, 4+nc, N]',
      { metadata: { names: "{0: 'a', 1: 'b'}", task: 'detect' }, outputDims: [1, 6, 8400], numClasses: 2 },
      'yolov8',
    ],
    [
      'Ultralytics names, [1, N, 6]',
      { metadata: { names: "{0: 'a', 1: 'b', 2: 'c'}" }, outputDims: [1, 300, 6], numClasses: 3 },
      'e2e',
    ],
    [
      'channel-major without labels',
      { outputDims: [1, 84, 8400], numClasses: null, inputW: 640, inputH: 640 },
      'yolov8',
    ],
    ['[1, N, 6] with 3 labels', { outputDims: [1, 300, 6], numClasses: 3 }, 'e2e'],
  ];
  for (const [name, hints, family] of cases)
    it(name, () => expect(resolveFamily({ ...base, ...hints })).toBe(family));

  const refusals: Array<[string, Partial<FamilyHints>, RegExp]> = [
    ['rows of boxes without labels', { numClasses: null }, /needs the label count.*set detector.family/],
    [
      '[1, N, 6] with 2 labels (e2e or traycheck)',
      { outputDims: [1, 300, 6], numClasses: 2 },
      /fits traycheck and e2e/,
    ],
    ['labels that fit no layout', { numClasses: 10 }, /fits no known family with 10 labels/],
    ['unknown metadata family', { metadata: { family: 'detr' } }, /metadata family "detr"/],
    ['segmentation task', { metadata: { task: 'segment' } }, /task "segment" is not supported/],
  ];
  for (const [name, hints, message] of refusals)
    it(`refuses: ${name}`, () => expect(() => resolveFamily({ ...base, ...hints })).toThrow(message));
});

describe('check zone', () => {
  const zone = [
    [0.25, 0.25],
    [0.75, 0.25],
    [0.75, 0.75],
    [0.25, 0.75],
  ] as const;
  const triangle = [
    [0, 0],
    [1, 0],
    [0, 1],
  ] as const;

  it('tests the box centre against the polygon in 0..1 coordinates', () => {
    expect(pointInPolygon(0.5, 0.5, zone)).toBe(true);
    expect(pointInPolygon(0.1, 0.5, zone)).toBe(false);
    expect(pointInPolygon(0.4, 0.4, triangle)).toBe(true);
    expect(pointInPolygon(0.6, 0.6, triangle)).toBe(false);
    expect(boxCentreInZone([280, 150, 360, 210], zone, 640, 360)).toBe(true);
    expect(boxCentreInZone([0, 0, 100, 100], zone, 640, 360)).toBe(false);
    const dets = [
      { label: 'burger', score: 0.9, box: [300, 160, 340, 200] as [number, number, number, number] },
      { label: 'fries', score: 0.8, box: [600, 10, 630, 40] as [number, number, number, number] },
    ];
    expect(filterToZone(dets, zone, 640, 360).map((d) => d.label)).toEqual(['burger']);
  });
});
