// Manager tiles in plain words with honest colours: green only for something good
// that happened, red for harm done, grey for plain counts; each tile opens the trays behind it.
import { el } from './common.js';

const pct = (r) => (r === null ? '—' : `${(r * 100).toFixed(1)} %`);
const secs = (ms) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
const day = (t) => {
  const d = new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** /history for the days of this period, optionally only mismatches. */
function historyLink(p, result) {
  const q = new URLSearchParams({ from: day(p.from), to: day(p.to - 1) });
  if (result) q.set('result', result);
  return `/history?${q}`;
}

/** "▲ 3 more than the period before" / "same as before"; `better` says which direction is good. */
function delta(now, before, better) {
  if (before === undefined || before === null || now === null) return null;
  const d = Math.round((now - before) * 10) / 10;
  if (d === 0) return el('div', { class: 'delta' }, 'same as the period before');
  const good = better === 'up' ? d > 0 : better === 'down' ? d < 0 : null;
  return el(
    'div',
    { class: `delta ${good === null ? '' : good ? 'up-good' : 'up-bad'}` },
    `${d > 0 ? '▲' : '▼'} ${Math.abs(d)} ${d > 0 ? 'more' : 'fewer'} than the period before`,
  );
}

function tile({ id, value, label, tone = '', href, cmp }) {
  return el(
    href ? 'a' : 'div',
    { class: `tile ${tone}`, 'data-stat': id, href },
    el('div', { class: 'value' }, value),
    el('div', { class: 'label' }, label),
    cmp,
  );
}

export function tiles(p, prev) {
  const acc = p.accuracyRate;
  const accTone = acc === null ? '' : acc >= 0.98 ? 'good' : acc < 0.95 ? 'bad' : 'warn';
  return [
    tile({
      id: 'traysVerified',
      value: p.traysVerified,
      label: 'trays checked against their order',
      href: historyLink(p),
      cmp: prev && delta(p.traysVerified, prev.traysVerified),
    }),
    tile({
      id: 'accuracyRate',
      value: pct(acc),
      label: 'right first time',
      tone: accTone,
      cmp:
        prev && acc !== null && prev.accuracyRate !== null
          ? delta(acc * 100, prev.accuracyRate * 100, 'up')
          : null,
    }),
    tile({
      id: 'mismatches',
      value: p.mismatches,
      label: 'trays with something wrong',
      href: historyLink(p, 'mismatch'),
      cmp: prev && delta(p.mismatches, prev.mismatches, 'down'),
    }),
    tile({
      id: 'errorsCaught',
      value: p.errorsCaught,
      label: 'fixed before the customer got it',
      tone: p.errorsCaught > 0 ? 'good' : '',
      href: historyLink(p, 'mismatch'),
    }),
    tile({
      id: 'servedWithError',
      value: p.servedWithError,
      label: 'served wrong (customer got the error)',
      tone: p.servedWithError > 0 ? 'bad' : '',
      href: historyLink(p, 'mismatch'),
      cmp: prev && delta(p.servedWithError, prev.servedWithError, 'down'),
    }),
    tile({
      id: 'falseAlarms',
      value: p.falseAlarms,
      label: 'false alarms (staff said the tray was right)',
      href: historyLink(p, 'mismatch'),
      cmp: prev && delta(p.falseAlarms, prev.falseAlarms, 'down'),
    }),
    tile({
      id: 'items',
      value: `${p.itemsMissing} / ${p.itemsExtra}`,
      label: 'items missing / extra (wrong or swapped)',
      href: historyLink(p, 'mismatch'),
    }),
    tile({
      id: 'latency',
      value: secs(p.latencyMs.p50),
      label:
        p.latencyMs.n > 0
          ? `until staff see an alert (typical; 95 % within ${secs(p.latencyMs.p95)})`
          : 'until staff see an alert (no alerts yet)',
    }),
  ];
}

/** Mismatches by hour of day as 24 cells, darker = more. */
export function heatMap(hours) {
  const max = Math.max(1, ...hours);
  return el(
    'div',
    { class: 'heat', role: 'img', 'aria-label': 'trays with errors by hour of day' },
    hours.map((n, h) => {
      const cell = el(
        'div',
        {
          class: 'heat-cell',
          title: `${String(h).padStart(2, '0')}:00 — ${n} wrong tray${n === 1 ? '' : 's'}`,
        },
        el('span', { class: 'heat-count' }, n || ''),
        el('span', { class: 'heat-hour' }, String(h)),
      );
      // CSSOM, not a style attribute: the page's CSP allows no inline styles.
      cell.style.setProperty('--level', String(n / max));
      return cell;
    }),
  );
}

export function itemsTable(table, missing, extra) {
  const rows = [
    ...missing.map((m) =>
      el('tr', {}, el('td', {}, m.name), el('td', {}, 'missing'), el('td', { class: 'num' }, m.count)),
    ),
    ...extra.map((m) =>
      el('tr', {}, el('td', {}, m.name), el('td', {}, 'extra'), el('td', { class: 'num' }, m.count)),
    ),
  ];
  table.replaceChildren(
    el(
      'thead',
      {},
      el('tr', {}, el('th', {}, 'Item'), el('th', {}, 'What'), el('th', { class: 'num' }, 'Times')),
    ),
    el(
      'tbody',
      {},
      rows.length ? rows : el('tr', {}, el('td', { class: 'muted', colspan: 3 }, 'Nothing wrong')),
    ),
  );
}
