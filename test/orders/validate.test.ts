import { describe, expect, it } from 'vitest';
import { jsonDepth, validateMessage } from '../../src/orders/validate.js';

const limits = { maxPayloadBytes: 65536, maxNestingDepth: 8 };
const buf = (v: unknown): Buffer => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
const placed = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'order.placed',
  orderId: '1042',
  items: [
    { sku: 'COMBO1', qty: 1 },
    { sku: 'FRIES', qty: 2, modifiers: ['no salt'] },
    { sku: 'DRINK', qty: 1 },
  ],
  ...extra,
});
const reasonOf = (payload: Buffer, channel: 'pos' | 'kds' = 'pos'): string => {
  const v = validateMessage(payload, channel, limits);
  if (v.ok) throw new Error('expected a rejection');
  return v.reason;
};

describe('validateMessage', () => {
  it('accepts every documented event on its topic', () => {
    const cases: [Record<string, unknown>, 'pos' | 'kds'][] = [
      [placed({ placedAt: '2025-03-01T12:00:00Z', channel: 'drive-thru', eventId: 'e1' }), 'pos'],
      [placed({ placedAt: 1740830400000, version: 1, station: 'expo' }), 'pos'],
      [{ ...placed(), type: 'order.updated', version: 2 }, 'pos'],
      [{ type: 'order.cancelled', orderId: '1042', reason: 'guest left' }, 'pos'],
      [{ type: 'order.ready', orderId: '1042', station: 'expo' }, 'kds'],
      [{ type: 'order.ready', orderId: '1042' }, 'kds'],
      [{ type: 'order.served', orderId: '1042', eventId: 'x' }, 'kds'],
      [placed({ unknownExtra: { nested: [1, 2] } }), 'pos'],
    ];
    for (const [payload, channel] of cases) {
      const v = validateMessage(buf(payload), channel, limits);
      expect(v, JSON.stringify(payload)).toMatchObject({ ok: true, event: { type: payload.type } });
    }
  });

  it.each([
    [
      placed({
        items: [
          { sku: 'A', qty: 1 },
          { sku: 'B', qty: 1 },
          { sku: 'C', qty: -1 },
        ],
      }),
      'items[2].qty: expected integer 1..100, got -1',
    ],
    [placed({ items: [{ sku: 'A', qty: 101 }] }), 'items[0].qty: expected integer 1..100, got 101'],
    [placed({ items: [{ sku: 'A', qty: 0 }] }), 'items[0].qty: expected integer 1..100, got 0'],
    [placed({ items: [{ sku: 'A', qty: 1e308 }] }), 'items[0].qty: expected integer 1..100, got 1e+308'],
    [placed({ items: [{ sku: 'A', qty: 1.5 }] }), 'items[0].qty: expected integer 1..100, got 1.5'],
    [placed({ items: [{ sku: 'A', qty: '2' }] }), 'items[0].qty: expected integer 1..100, got "2"'],
    [
      placed({ items: [{ qty: 1 }] }),
      'items[0].sku: required, expected string of 1..64 characters without control characters',
    ],
    [placed({ items: [] }), 'items: expected array of 1..100 items, got []'],
    [
      placed({ items: { sku: 'A', qty: 1 } }),
      'items: expected array of 1..100 items, got {"sku":"A","qty":1}',
    ],
    [
      placed({ orderId: 1042 }),
      'orderId: expected string of 1..64 characters without control characters, got 1042',
    ],
    [
      placed({ orderId: undefined }),
      'orderId: required, expected string of 1..64 characters without control characters',
    ],
    [
      placed({ placedAt: 'yesterday' }),
      'placedAt: expected ISO 8601 date-time string or integer 946684800000..4102444800000, got "yesterday"',
    ],
    [placed({ version: 0 }), 'version: expected integer 1..1000000000, got 0'],
    [
      { type: 'order.explode', orderId: '1' },
      'type: expected one of "order.placed", "order.updated", "order.cancelled", got "order.explode"',
    ],
    [{ orderId: '1' }, 'type: required, expected one of "order.placed", "order.updated", "order.cancelled"'],
    [
      { type: 'order.ready', orderId: '1' },
      'type: expected one of "order.placed", "order.updated", "order.cancelled", got "order.ready" (send it to .../kds)',
    ],
    ['[1,2]', 'expected a JSON object, got array'],
    ['null', 'expected a JSON object, got null'],
    ['42', 'expected a JSON object, got number'],
    ['', 'empty payload'],
  ])('rejects %j with a precise reason', (payload, reason) => {
    expect(reasonOf(buf(payload))).toBe(reason);
  });

  it('rejects broken JSON, bad UTF-8, oversize and deep nesting before parsing', () => {
    expect(reasonOf(buf('{"type":"order.placed","orderId":'))).toMatch(/^not JSON: /);
    expect(reasonOf(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toBe('not valid UTF-8');
    expect(reasonOf(Buffer.alloc(70_000, 0x20))).toBe('payload too large: 70000 bytes > 65536');
    const deep = placed({ extra: JSON.parse('['.repeat(8) + ']'.repeat(8)) as unknown });
    expect(reasonOf(buf(deep))).toBe('nesting deeper than 8 levels');
    // brackets inside strings do not count
    expect(validateMessage(buf(placed({ note: '[[[[[[[[[[[[[[{{{{{{{{' })), 'pos', limits).ok).toBe(true);
    expect(reasonOf(buf('['.repeat(100_000)))).toMatch(/too large/);
    expect(reasonOf(buf('['.repeat(60_000)))).toBe('nesting deeper than 8 levels');
  });

  it('groups reasons by field for counters', () => {
    const a = validateMessage(buf(placed({ items: [{ sku: 'A', qty: -1 }] })), 'pos', limits);
    const b = validateMessage(
      buf(
        placed({
          items: [
            { sku: 'A', qty: 1 },
            { sku: 'A', qty: 500 },
          ],
        }),
      ),
      'pos',
      limits,
    );
    expect(a.ok || a.key).toBe('items[].qty');
    expect(b.ok || b.key).toBe('items[].qty');
  });

  it('jsonDepth counts nesting outside strings', () => {
    expect(jsonDepth('{"a":[{"b":"[[["}]}', 10)).toBe(3);
    expect(jsonDepth('"\\"[["', 10)).toBe(0);
    expect(jsonDepth('[]', 10)).toBe(1);
  });
});
