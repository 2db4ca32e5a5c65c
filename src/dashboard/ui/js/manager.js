// Manager view: today and the last 7 days, a per-day chart, and any period (shift, day, week,
// month, custom) beside the period before it with errors by hour of day. Tiles open /history.
import { api, el, run, setupPage, showError } from './common.js';
import { connectEvents } from './connection.js';
import { barChart } from './chart.js';
import { heatMap, itemsTable, tiles } from './manager-tiles.js';

const HOUR = 3_600_000;
const $ = (id) => document.getElementById(id);

/** [from, to) of a named period ending now (local days). */
function rangeOf(name) {
  const now = Date.now();
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const daysBack = (n) => {
    const d = new Date(midnight);
    d.setDate(d.getDate() - n);
    return d.getTime();
  };
  switch (name) {
    case 'shift':
      return [now - 8 * HOUR, now + 1];
    case 'day':
      return [midnight.getTime(), now + 1];
    case 'week':
      return [daysBack(6), now + 1];
    case 'month':
      return [daysBack(29), now + 1];
    default:
      return null;
  }
}

async function showRange(from, to) {
  const r = await api(`/api/stats/range?from=${from}&to=${to}`);
  $('period').replaceChildren(...tiles(r.current, r.previous));
  $('heat').replaceChildren(heatMap(r.hourly));
  itemsTable($('items-period'), r.current.mostMissed, r.current.mostExtra);
}

function setupRanges() {
  const buttons = [...document.querySelectorAll('#ranges button[data-range]')];
  for (const b of buttons) {
    b.addEventListener('click', () => {
      for (const x of buttons) x.setAttribute('aria-pressed', String(x === b));
      const [from, to] = rangeOf(b.dataset.range);
      void showRange(from, to).catch(showError);
    });
  }
  const custom = $('custom');
  custom.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const data = new FormData(custom);
    const [fy, fm, fd] = String(data.get('from')).split('-').map(Number);
    const [ty, tm, td] = String(data.get('to')).split('-').map(Number);
    for (const x of buttons) x.setAttribute('aria-pressed', 'false');
    void showRange(new Date(fy, fm - 1, fd).getTime(), new Date(ty, tm - 1, td + 1).getTime()).catch(
      showError,
    );
  });
}

run(async () => {
  await setupPage('Manager');
  connectEvents({}); // the dot and the bar say whether this box is reachable
  const s = await api('/api/stats');
  $('today').replaceChildren(...tiles(s.today));
  $('week').replaceChildren(...tiles(s.last7Days));
  const css = getComputedStyle(document.documentElement);
  const color = (name) => css.getPropertyValue(name).trim();
  const groups = s.daily.map((d) => ({
    label: new Date(d.from).toLocaleDateString([], { weekday: 'short', day: 'numeric' }),
    values: [d.traysVerified, d.mismatches, d.errorsCaught],
  }));
  $('chart').replaceChildren(
    barChart(groups, [
      { name: 'verified', color: color('--blue') },
      { name: 'mismatch', color: color('--red') },
      { name: 'errors caught', color: color('--green') },
    ]),
  );
  itemsTable($('missed-today'), s.today.mostMissed, s.today.mostExtra);
  itemsTable($('missed-week'), s.last7Days.mostMissed, s.last7Days.mostExtra);
  setupRanges();
  const [from, to] = rangeOf('shift');
  await showRange(from, to);
  document.body.dataset.ready = '1';
});
