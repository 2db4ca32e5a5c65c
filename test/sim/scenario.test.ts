import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { scoreScenario } from '../../src/eval/metrics.js';
import { difficultyOptions } from '../../src/sim/hard.js';
import { generateScenario } from '../../src/sim/scenario-generate.js';
import {
  handOverTray,
  loadScenario,
  orderItemsAt,
  parseScenario,
  ScenarioError,
  trayContentsAt,
  truthError,
} from '../../src/sim/scenario.js';
import { ROOT } from '../helpers/daemon.js';

const config = loadConfig(join(ROOT, 'config', 'traycheck.example.yaml'), {}).config;
const menu = config.menu;
const evalMenu = { menu, modifiers: config.modifiers };
const dir = join(ROOT, 'test', 'scenarios');

describe('scenario files', () => {
  it('every checked-in scenario parses and its truth labels agree with its steps', () => {
    const files = [
      ...readdirSync(dir).filter((x) => x.endsWith('.yaml')),
      ...readdirSync(join(dir, 'hard')).map((x) => join('hard', x)),
    ];
    for (const f of files.filter((x) => x.endsWith('.yaml'))) {
      const sc = loadScenario(join(dir, f));
      const report = scoreScenario(sc, evalMenu, [], []);
      const wrongByTruth = new Set(Object.keys(sc.truth).filter((id) => truthError(sc.truth[id]) !== null));
      const wrongBySteps = new Set(report.outcomes.filter((o) => o.wrong).map((o) => o.trayId));
      expect([...wrongBySteps].sort(), f).toEqual([...wrongByTruth].sort());
    }
  });

  it('rejects invalid scenarios with a reason', () => {
    expect(() =>
      parseScenario('name: x\ntrays: [{ id: a, enter: 5, leave: 2, steps: [{ at: 0, items: {} }] }]'),
    ).toThrow(/leave must be after enter/);
    expect(() => parseScenario('name: x\norders: [{ id: a, at: 0, items: [] }]')).toThrow(ScenarioError);
    expect(() =>
      parseScenario(
        'trays: [{ id: a, order: nope, enter: 0, leave: 2, steps: [{ at: 0, items: {} }] }]\nname: x',
      ),
    ).toThrow(/unknown order nope/);
  });

  it('answers what is on a tray, whether a hand is over it and what the order holds at a time', () => {
    const sc = loadScenario(join(dir, 'order-updated.yaml'));
    const tray = sc.trays[0];
    const order = sc.orders[0];
    if (!tray || !order) throw new Error('fixture');
    expect(trayContentsAt(tray, 1)).toBeNull();
    expect(trayContentsAt(tray, 3)).toEqual({ burger: 1, fries: 1, drink: 1 });
    expect(trayContentsAt(tray, 12)).toEqual({ burger: 1, fries: 1, drink: 1, dessert: 1 });
    expect(handOverTray(tray, 10)).toBe(true);
    expect(handOverTray(tray, 12)).toBe(false);
    expect(orderItemsAt(order, 6)?.length).toBe(1);
    expect(orderItemsAt(order, 8)?.length).toBe(2);
  });
});

describe('scenario generator', () => {
  it('is deterministic, valid, and its wrong trays match the requested error rate roughly', () => {
    const a = generateScenario({ trays: 200, errorRate: 0.2, seed: 5, menu });
    const b = generateScenario({ trays: 200, errorRate: 0.2, seed: 5, menu });
    expect(stringify(a)).toBe(stringify(b));
    const reparsed = parseScenario(stringify(a));
    expect(reparsed.trays).toHaveLength(200);
    const report = scoreScenario(reparsed, evalMenu, [], []);
    expect(report.wrongTrays).toBe(Object.keys(a.truth).length);
    expect(report.wrongTrays).toBeGreaterThan(20);
    expect(report.wrongTrays).toBeLessThan(60);
    const kinds = new Set(Object.values(a.truth));
    expect([...kinds].sort()).toEqual(['corrected', 'extra', 'missing', 'wrong']);
    // an empty tray is a tray being started, never a generated error
    // (seed 42 made one with the earlier generator: tray T1158)
    for (const s of [a, generateScenario({ trays: 200, errorRate: 0.2, seed: 42, menu })]) {
      const emptySteps = s.trays.flatMap((t) =>
        t.steps.filter((x) => Object.values(x.items).every((n) => n <= 0)),
      );
      expect(emptySteps).toEqual([]);
    }
    const c = generateScenario({ trays: 200, errorRate: 0.2, seed: 6, menu });
    expect(stringify(c)).not.toBe(stringify(a));
  });
});

describe('hard scenario generator', () => {
  const hard = (seed: number) =>
    generateScenario({
      trays: 200,
      errorRate: 0.2,
      seed,
      menu,
      ...difficultyOptions('hard', config.modifiers),
    });

  it('makes crowded trays, modifiers, identical orders, same-spot successors and stalls, with a truth that agrees', () => {
    const sc = parseScenario(stringify(hard(11)));
    expect(stringify(hard(11))).toBe(stringify(hard(11)));
    const sizes = sc.trays.map((t) => Object.values(t.steps[0]?.items ?? {}).reduce((a, b) => a + b, 0));
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(11); // ten, plus one on an "extra" error
    expect(sc.render).toMatchObject({ clutter: 8, brightness: 0.6 });
    expect(sc.orders.some((o) => o.items.some((l) => l.modifiers?.includes('no_drink')))).toBe(true);
    expect(sc.camera.length).toBeGreaterThan(0);
    // a successor: same slot, entering a second after the last tray there left, identical order
    const successor = sc.trays.find((t) =>
      sc.trays.some((p) => p.slot === t.slot && Math.abs(t.enter - p.leave - 1) < 1e-9),
    );
    const successorTruth = successor ? sc.truth[successor.id] : undefined;
    expect(typeof successorTruth === 'object' && successorTruth['any-of'].length).toBe(1);
    const report = scoreScenario(sc, { menu, modifiers: sc.modifiers ?? {} }, [], []);
    const byTruth = sc.trays.filter((t) => truthError(sc.truth[t.id]) !== null).map((t) => t.id);
    expect(report.outcomes.filter((o) => o.wrong).map((o) => o.trayId)).toEqual(byTruth);
    expect(report.unverifiable.trays).toBeGreaterThan(0);
  });

  it('leaves the normal generator as it was (the README seeds stay valid)', () => {
    const normal = generateScenario({ trays: 50, errorRate: 0.2, seed: 42, menu });
    expect(normal.camera).toEqual([]);
    expect(normal.orders.some((o) => o.items.some((l) => l.modifiers))).toBe(false);
    expect(Object.values(normal.truth).every((t) => typeof t === 'string')).toBe(true);
  });
});
