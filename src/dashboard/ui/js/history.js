// Verdict history: search by order id, result, camera, item and date range; paged, newest first,
// live while on the first page; a row opens its evidence; the same search exports as CSV.
import { api, el, fmtDateTime, params, run, setupPage, showError } from './common.js';
import { connectEvents } from './connection.js';
import { showDetail } from './history-detail.js';

const form = document.getElementById('search');
const rows = document.getElementById('rows');
const info = document.getElementById('pageinfo');
const prev = document.getElementById('prev');
const next = document.getElementById('next');
const PAGE_SIZE = 25;
const detail = document.getElementById('detail');
const csv = document.getElementById('csv');
let page = 1;
let pending = null;

/** A yyyy-mm-dd date input as local midnight epoch ms; `to` dates include the whole day. */
function dayMs(value, endOfDay) {
  if (!value) return null;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d + (endOfDay ? 1 : 0)).getTime();
}

function filters() {
  const data = new FormData(form);
  const q = new URLSearchParams();
  const orderId = String(data.get('orderId') ?? '').trim();
  if (orderId) q.set('orderId', orderId);
  if (data.get('result')) q.set('result', String(data.get('result')));
  const from = dayMs(String(data.get('from') ?? ''), false);
  const to = dayMs(String(data.get('to') ?? ''), true);
  if (from !== null) q.set('from', String(from));
  if (to !== null) q.set('to', String(to));
  for (const key of ['cameraId', 'item']) if (data.get(key)) q.set(key, String(data.get(key)));
  return q;
}

async function load() {
  const q = filters();
  csv.href = `/api/verdicts.csv?${q}`;
  q.set('page', String(page));
  q.set('pageSize', String(PAGE_SIZE));
  const res = await api(`/api/verdicts?${q}`);
  rows.replaceChildren(
    ...res.items.map((v) =>
      el(
        'tr',
        { 'data-id': v.id },
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
        el(
          'td',
          {},
          el(
            'button',
            {
              class: 'btn small',
              type: 'button',
              onclick: () => void showDetail(detail, v.id).catch(showError),
            },
            'Details',
          ),
        ),
      ),
    ),
  );
  if (res.items.length === 0)
    rows.append(el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No verdicts match.')));
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

/** New verdicts appear while the newest page is shown (a few per minute at most: reload it). */
function soon() {
  if (page !== 1) return;
  pending ??= setTimeout(() => {
    pending = null;
    void load().catch(() => undefined);
  }, 500);
}

async function fillFilters() {
  const { cameras, items } = await api('/api/verdicts/filters');
  document.getElementById('cameras').append(...cameras.map((c) => el('option', { value: c }, c)));
  document.getElementById('items').append(...items.map((i) => el('option', { value: i.label }, i.name)));
}

run(async () => {
  await setupPage('History');
  connectEvents({ verdict: soon, resync: soon });
  await fillFilters();
  // Opened from a manager tile: /history?from=yyyy-mm-dd&to=yyyy-mm-dd&result=mismatch.
  for (const [key, value] of params)
    if (form.elements.namedItem(key)) form.elements.namedItem(key).value = value;
  await load();
  document.body.dataset.ready = '1';
});
