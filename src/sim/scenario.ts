// Scenario files describe a shift at the counter: orders with times, ready bumps, and for each
// tray what is on it over time (mistakes, corrections, hands, two trays at once), render
// options, and the ground truth. Used by the demo, `traycheck eval` and integration tests.
// Format reference: docs/scenarios.md.
import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import { applyDefaults } from '../config/defaults.js';
import { MenuItem, Modifier } from '../config/sections/menu.js';
import type { LabelCounts } from '../types.js';

const Counts = Type.Record(Type.String(), Type.Integer({ minimum: 0, maximum: 20 }));
const Line = Type.Object(
  {
    sku: Type.String(),
    qty: Type.Integer({ minimum: 1, maximum: 100 }),
    modifiers: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: 20,
        description: 'POS modifiers of the line ("no_drink", free text).',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ScenarioSchema = Type.Object(
  {
    name: Type.String({ description: 'Short name shown in eval output.' }),
    description: Type.String({ default: '' }),
    seed: Type.Integer({ default: 1, description: 'Render seed: same seed → same frames.' }),
    station: Type.String({ default: 'expo', description: 'Station of the simulated camera.' }),
    fps: Type.Number({ default: 5, minimum: 1, maximum: 30 }),
    width: Type.Integer({ default: 640, minimum: 160, maximum: 1920 }),
    height: Type.Integer({ default: 360, minimum: 90, maximum: 1080 }),
    durationS: Type.Optional(
      Type.Number({ minimum: 1, description: 'Default: 4 s after the last tray leaves.' }),
    ),
    render: Type.Object(
      {
        brightness: Type.Number({
          default: 1,
          minimum: 0.2,
          maximum: 1.6,
          description: 'Lighting level (1 = normal, 0.5 = dim).',
        }),
        warmth: Type.Number({
          default: 0,
          minimum: -1,
          maximum: 1,
          description: 'Colour temperature (-1 cool … 1 warm).',
        }),
        clutter: Type.Integer({
          default: 1,
          minimum: 0,
          maximum: 8,
          description: 'Distractors (napkins, receipts, wrappers).',
        }),
        noise: Type.Number({ default: 0.3, minimum: 0, maximum: 1 }),
      },
      { additionalProperties: false, default: {} },
    ),
    menu: Type.Optional(
      Type.Record(Type.String(), MenuItem, {
        description: 'Menu for this scenario (default: the daemon config menu).',
      }),
    ),
    modifiers: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z0-9_]{1,64}$' }), Modifier, {
        description: 'Modifier mapping for this scenario (default: the daemon config modifiers).',
      }),
    ),
    orders: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1 }),
          at: Type.Number({ minimum: 0, description: 'Seconds from start: order.placed.' }),
          items: Type.Array(Line, { minItems: 1 }),
          station: Type.Optional(Type.String()),
          readyAt: Type.Optional(Type.Number({ minimum: 0, description: 'order.ready bump time (s).' })),
          servedAt: Type.Optional(Type.Number({ minimum: 0 })),
          cancelAt: Type.Optional(Type.Number({ minimum: 0 })),
          updates: Type.Array(
            Type.Object(
              { at: Type.Number({ minimum: 0 }), items: Type.Array(Line, { minItems: 1 }) },
              { additionalProperties: false },
            ),
            {
              default: [],
              description: 'order.updated events (full replacement).',
            },
          ),
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
    trays: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1 }),
          order: Type.Optional(Type.String({ description: 'Ground truth: the order this tray is for.' })),
          slot: Type.Integer({
            default: 0,
            minimum: 0,
            maximum: 1,
            description: '0 = left, 1 = right position on the counter.',
          }),
          enter: Type.Number({ minimum: 0 }),
          leave: Type.Number({ minimum: 0 }),
          steps: Type.Array(
            Type.Object(
              { at: Type.Number({ minimum: 0, description: 'Seconds after enter.' }), items: Counts },
              { additionalProperties: false },
            ),
            { minItems: 1, description: 'What is on the tray from each time on.' },
          ),
          hands: Type.Array(
            Type.Object(
              { at: Type.Number({ minimum: 0 }), duration: Type.Number({ minimum: 0.1, maximum: 30 }) },
              { additionalProperties: false },
            ),
            {
              default: [],
              description: 'A hand/arm over the tray (seconds after enter).',
            },
          ),
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
    camera: Type.Array(
      Type.Object(
        {
          at: Type.Number({ minimum: 0, description: 'Seconds from start.' }),
          stall: Type.Number({ minimum: 0.2, maximum: 600, description: 'Seconds without frames.' }),
        },
        { additionalProperties: false },
      ),
      { default: [], description: 'Camera stalls: the simulated camera delivers no frame for a while.' },
    ),
    truth: Type.Record(
      Type.String(),
      Type.Union([
        Type.String(),
        Type.Object(
          {
            'any-of': Type.Array(Type.String(), { minItems: 1 }),
            error: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
      ]),
      {
        default: {},
        description:
          'Per tray: how a wrong tray is wrong (missing | extra | wrong | corrected | note), `unlinked` (right to stay unlinked, e.g. its order was cancelled), or { any-of: [orderIds], error? } (identical orders: a link to any of them is right). Trays not listed are meant to be correct and linked to their order. Checked against steps vs order.',
      },
    ),
  },
  { additionalProperties: false },
);

export type Scenario = Static<typeof ScenarioSchema>;
export type ScenarioTray = Scenario['trays'][number];
export type ScenarioOrder = Scenario['orders'][number];

export type ScenarioTruth = Scenario['truth'][string];

export class ScenarioError extends Error {}

/** Truth values that are not errors. */
const NOT_ERRORS = new Set(['unlinked']);

/** How the truth says a tray is wrong, or null when it is meant to be correct. */
export function truthError(t: ScenarioTruth | undefined): string | null {
  if (t === undefined) return null;
  if (typeof t === 'string') return NOT_ERRORS.has(t) ? null : t;
  return t.error ?? null;
}

/** Orders a tray may rightly be linked to (null: it is right to stay unlinked). */
export function rightOrders(sc: Scenario, tray: ScenarioTray): string[] | null {
  const t = sc.truth[tray.id];
  if (t === 'unlinked') return null;
  if (t !== undefined && typeof t !== 'string')
    return [...new Set([...(tray.order ? [tray.order] : []), ...t['any-of']])];
  return tray.order ? [tray.order] : null;
}

/** Scenario seconds at which the camera delivers frames (false inside a stall). */
export function cameraLiveAt(sc: Scenario, t: number): boolean {
  return !sc.camera.some((c) => t >= c.at && t < c.at + c.stall);
}

export function parseScenario(text: string, source = 'scenario'): Scenario {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new ScenarioError(`${source}: YAML syntax: ${(err as Error).message.split('\n')[0]}`);
  }
  const value = applyDefaults(ScenarioSchema, Value.Clone(raw));
  const errors = [...Value.Errors(ScenarioSchema, value)].slice(0, 20);
  if (errors.length) {
    throw new ScenarioError(
      `${source}: invalid scenario:\n${errors.map((e) => `  ${e.path || '/'}: ${e.message}`).join('\n')}`,
    );
  }
  const sc = value as Scenario;
  const orderIds = new Set(sc.orders.map((o) => o.id));
  const problems: string[] = [];
  for (const t of sc.trays) {
    if (t.leave <= t.enter) problems.push(`tray ${t.id}: leave must be after enter`);
    if (t.order && !orderIds.has(t.order)) problems.push(`tray ${t.id}: unknown order ${t.order}`);
  }
  for (const [id, t] of Object.entries(sc.truth)) {
    if (typeof t === 'string') continue;
    for (const o of t['any-of']) if (!orderIds.has(o)) problems.push(`truth ${id}: unknown order ${o}`);
  }
  if (problems.length) throw new ScenarioError(`${source}: ${problems.join('; ')}`);
  return sc;
}

export function loadScenario(file: string): Scenario {
  return parseScenario(readFileSync(file, 'utf8'), file);
}

export function scenarioDurationS(sc: Scenario): number {
  if (sc.durationS !== undefined) return sc.durationS;
  const lastTray = Math.max(0, ...sc.trays.map((t) => t.leave));
  const lastOrder = Math.max(0, ...sc.orders.flatMap((o) => [o.at, o.readyAt ?? 0, o.servedAt ?? 0]));
  const lastStall = Math.max(0, ...sc.camera.map((c) => c.at + c.stall));
  return Math.max(lastTray, lastOrder, lastStall) + 4;
}

/** Contents of a tray at scenario time t (seconds), or null when it is not in view. */
export function trayContentsAt(tray: ScenarioTray, t: number): LabelCounts | null {
  if (t < tray.enter || t >= tray.leave) return null;
  let current: LabelCounts | null = null;
  for (const step of tray.steps) if (t - tray.enter >= step.at) current = step.items;
  return current ?? {};
}

export function handOverTray(tray: ScenarioTray, t: number): boolean {
  const rel = t - tray.enter;
  return tray.hands.some((h) => rel >= h.at && rel < h.at + h.duration);
}

/** The order's items at scenario time t (after updates), or null if cancelled/not yet placed. */
export function orderItemsAt(order: ScenarioOrder, t: number): ScenarioOrder['items'] | null {
  if (t < order.at) return null;
  if (order.cancelAt !== undefined && t >= order.cancelAt) return null;
  let items = order.items;
  for (const u of [...order.updates].sort((a, b) => a.at - b.at)) if (t >= u.at) items = u.items;
  return items;
}
