// Manager view: today and the last 7 days from the database, plus a per-day chart.
import { api, connectEvents, el, run, setupPage } from './common.js';
import { barChart } from './chart.js';

const pct = (r) => (r === null ? '—' : `${(r * 100).toFixed(1)} %`);
/** "420 / 610 ms" or "1.2 / 3.4 s": one unit for both numbers so the tile stays on one line. */
function latency(p50, p95) {
  if (p50 === null || p95 === null) return '—';
  if (p95 >= 1000) return `${(p50 / 1000).toFixed(1)} / ${(p95 / 1000).toFixed(1)} s`;
  return `${Math.round(p50)} / ${Math.round(p95)} ms`;
}

function tile(label, value, tone = '', id = '') {
  return el(
    'div',
    { class: `tile ${tone}`, 'data-stat': id },
    el('div', { class: 'value' }, value),
    el('div', { class: 'label' }, label),
  );
}

function tiles(p) {
  return [
    tile('trays verified', p.traysVerified, '', 'traysVerified'),
    tile(
      'accuracy (ok / linked)',
      pct(p.accuracyRate),
      p.accuracyRate !== null && p.accuracyRate < 0.95 ? 'bad' : 'good',
      'accuracyRate',
    ),
    tile('errors caught', p.errorsCaught, 'good', 'errorsCaught'),
    tile('served with error', p.servedWithError, p.servedWithError > 0 ? 'bad' : '', 'servedWithError'),
    tile('mismatches', p.mismatches, '', 'mismatches'),
    tile(
      `settle → alert p50 / p95 (n=${p.latencyMs.n})`,
      latency(p.latencyMs.p50, p.latencyMs.p95),
      '',
      'latency',
    ),
  ];
}

function missed(table, list) {
  table.replaceChildren(
    el('thead', {}, el('tr', {}, el('th', {}, 'Item'), el('th', { class: 'num' }, 'Missing'))),
    el(
      'tbody',
      {},
      list.length
        ? list.map((m) => el('tr', {}, el('td', {}, m.name), el('td', { class: 'num' }, m.count)))
        : el('tr', {}, el('td', { class: 'muted', colspan: 2 }, 'Nothing missed')),
    ),
  );
}

run(async () => {
  await setupPage('Manager');
  connectEvents({}); // the dot and the bar say whether this box is reachable
  const s = await api('/api/stats');
  document.getElementById('today').replaceChildren(...tiles(s.today));
  document.getElementById('week').replaceChildren(...tiles(s.last7Days));
  const css = getComputedStyle(document.documentElement);
  const color = (name) => css.getPropertyValue(name).trim();
  const groups = s.daily.map((d) => ({
    label: new Date(d.from).toLocaleDateString([], { weekday: 'short', day: 'numeric' }),
    values: [d.traysVerified, d.mismatches, d.errorsCaught],
  }));
  document.getElementById('chart').replaceChildren(
    barChart(groups, [
      { name: 'verified', color: color('--blue') },
      { name: 'mismatch', color: color('--red') },
      { name: 'errors caught', color: color('--green') },
    ]),
  );
  missed(document.getElementById('missed-today'), s.today.mostMissed);
  missed(document.getElementById('missed-week'), s.last7Days.mostMissed);
  document.body.dataset.ready = '1';
});
