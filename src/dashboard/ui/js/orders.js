// Order queue by status, refreshed when an order or verdict event arrives.
import { api, el, fmtAge, run, setupPage } from './common.js';
import { connectEvents } from './connection.js';

const COLUMNS = [
  ['open', 'Open'],
  ['ready', 'Ready'],
  ['verified', 'Verified'],
  ['mismatch', 'Mismatch'],
  ['served', 'Served'],
];
const board = document.getElementById('board');
const COLUMN_MAX = 12;
let pending = null;

function card(o) {
  return el(
    'div',
    { class: `order-card ${o.status}`, 'data-order': o.orderId },
    el('div', { class: 'id' }, `#${o.orderId}`),
    el(
      'ul',
      {},
      o.lines.map((l) => el('li', {}, l)),
    ),
    o.verdict && o.verdict.summary ? el('div', { class: 'extra' }, o.verdict.summary) : null,
    el(
      'div',
      { class: 'muted' },
      `${fmtAge(Date.now() - o.placedAt)} ago`,
      o.station ? ` · ${o.station}` : '',
    ),
  );
}

async function refresh() {
  const { orders } = await api('/api/orders');
  board.replaceChildren(
    ...COLUMNS.map(([status, title]) => {
      const mine = orders.filter((o) => o.status === status);
      // A column shows the newest few; a long queue is a number, not a page miles long.
      const shown = mine.slice(0, COLUMN_MAX);
      return el(
        'section',
        { class: 'column' },
        el('h2', {}, `${title} (${mine.length})`),
        shown.map(card),
        mine.length > shown.length
          ? el('p', { class: 'muted more' }, `and ${mine.length - shown.length} older (see History)`)
          : null,
      );
    }),
  );
}

function soon() {
  pending ??= setTimeout(() => {
    pending = null;
    void refresh().catch(() => undefined);
  }, 300);
}

run(async () => {
  await setupPage('Orders');
  connectEvents({ order: soon, verdict: soon });
  await refresh();
  setInterval(soon, 10_000);
  document.body.dataset.ready = '1';
});
