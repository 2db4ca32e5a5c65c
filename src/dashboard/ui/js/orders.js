// Order queue by status, one column each, paged on the server (a dozen per page, newest first);
// refreshed when an order or verdict event arrives.
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
const PAGE_SIZE = 12;
/** The page each column shows (1 = newest). */
const pages = Object.fromEntries(COLUMNS.map(([status]) => [status, 1]));
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

/** "‹ Newer · 2 of 4 · Older ›" under a column longer than a page. */
function pager(status, title, page, pageCount) {
  if (pageCount <= 1) return null;
  const go = (p) => () => {
    pages[status] = p;
    void refresh();
  };
  const button = (label, p, name) =>
    el(
      'button',
      {
        class: 'btn small',
        type: 'button',
        'aria-label': `${name} ${title.toLowerCase()} orders`,
        disabled: p < 1 || p > pageCount,
        onclick: go(p),
      },
      label,
    );
  return el(
    'nav',
    { class: 'pager', 'aria-label': `${title} pages` },
    button('‹ Newer', page - 1, 'Newer'),
    el('span', { class: 'muted' }, `${page} of ${pageCount}`),
    button('Older ›', page + 1, 'Older'),
  );
}

async function refresh() {
  const replies = await Promise.all(
    COLUMNS.map(([status]) =>
      api(`/api/orders?status=${status}&page=${pages[status]}&pageSize=${PAGE_SIZE}`),
    ),
  );
  board.replaceChildren(
    ...COLUMNS.map(([status, title], i) => {
      const r = replies[i];
      const pageCount = Math.max(1, Math.ceil(r.total / r.pageSize));
      // The queue shrank under a page that no longer exists: show the last one next time.
      if (r.page > pageCount) pages[status] = pageCount;
      return el(
        'section',
        { class: 'column', 'data-status': status },
        el('h2', {}, `${title} (${r.total})`),
        r.orders.map(card),
        pager(status, title, r.page, pageCount),
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
