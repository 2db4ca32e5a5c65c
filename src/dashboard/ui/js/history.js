// Verdict history: search by order id, result and date range; paged, newest first.
import { api, connectEvents, el, fmtDateTime, run, setupPage } from './common.js';

const form = document.getElementById('search');
const rows = document.getElementById('rows');
const info = document.getElementById('pageinfo');
const prev = document.getElementById('prev');
const next = document.getElementById('next');
const PAGE_SIZE = 25;
let page = 1;

/** A yyyy-mm-dd date input as local midnight epoch ms; `to` dates include the whole day. */
function dayMs(value, endOfDay) {
  if (!value) return null;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d + (endOfDay ? 1 : 0)).getTime();
}

async function load() {
  const data = new FormData(form);
  const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
  const orderId = String(data.get('orderId') ?? '').trim();
  if (orderId) q.set('orderId', orderId);
  if (data.get('result')) q.set('result', String(data.get('result')));
  const from = dayMs(String(data.get('from') ?? ''), false);
  const to = dayMs(String(data.get('to') ?? ''), true);
  if (from !== null) q.set('from', String(from));
  if (to !== null) q.set('to', String(to));
  const res = await api(`/api/verdicts?${q}`);
  rows.replaceChildren(
    ...res.items.map((v) =>
      el(
        'tr',
        {},
        el('td', {}, fmtDateTime(v.ts)),
        el('td', {}, v.orderId ? `#${v.orderId}` : '—'),
        el(
          'td',
          {},
          el('span', { class: `badge ${v.result}` }, v.result),
          v.alertResolution ? ' ' : null,
          v.alertResolution ? el('span', { class: `badge ${v.alertResolution}` }, v.alertResolution) : null,
        ),
        el('td', {}, v.summary || (v.result === 'ok' ? 'matches the order' : '')),
        el(
          'td',
          {},
          v.snapshotId
            ? el(
                'a',
                { href: `/api/snapshots/${encodeURIComponent(v.snapshotId)}.jpg`, target: '_blank' },
                el('img', {
                  class: 'thumb',
                  loading: 'lazy',
                  alt: 'tray snapshot',
                  src: `/api/snapshots/${encodeURIComponent(v.snapshotId)}.jpg`,
                }),
              )
            : '—',
        ),
      ),
    ),
  );
  if (res.items.length === 0)
    rows.append(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No verdicts match.')));
  const pages = Math.max(1, Math.ceil(res.total / PAGE_SIZE));
  info.textContent = `Page ${page} of ${pages} · ${res.total} verdicts`;
  prev.disabled = page <= 1;
  next.disabled = page >= pages;
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  page = 1;
  void load();
});
prev.addEventListener('click', () => {
  page = Math.max(1, page - 1);
  void load();
});
next.addEventListener('click', () => {
  page++;
  void load();
});

run(async () => {
  await setupPage('History');
  connectEvents({}); // the dot and the bar say whether this box is reachable
  await load();
  document.body.dataset.ready = '1';
});
