// Technician view: cameras, health, broker, model, disk, rejected messages; admin: users and config.
import { api, el, fillTable, fmtAge, fmtBytes, fmtDateTime, run, setupPage } from './common.js';
import { connectEvents } from './connection.js';
import { reconnectButton, setupBrokerTest } from './tech-actions.js';
import { setupAdmin } from './tech-admin.js';

const REFRESH_MS = 5000;
let admin = false;

const $ = (id) => document.getElementById(id);
const badge = (s) => el('span', { class: `badge ${s}` }, s);

function facts(t) {
  const kv = (k, v) => [el('dt', {}, k), el('dd', {}, v)];
  const b = t.broker;
  $('facts').replaceChildren(
    ...kv('Version', t.version),
    ...kv('Store', `${t.store.name} (${t.store.id})`),
    ...kv(
      'Broker',
      b
        ? [badge(b.connected ? 'online' : 'offline'), ` ${b.url}${b.error ? ` — ${b.error}` : ''}`]
        : 'no status yet',
    ),
    ...kv('Model', modelLine(t.model)),
    ...kv('Model file', t.model.path),
    ...kv('Model sha256', t.model.sha256),
    ...kv('Labels', t.model.labels.join(', ')),
    ...kv(
      'Model changes',
      (t.model.changes ?? [])
        .map(
          (c) =>
            `${c.at.slice(0, 16).replace('T', ' ')} ${c.action} ${(c.sha256 ?? 'configured model').slice(0, 12)}${c.detail ? `: ${c.detail}` : ''}`,
        )
        .join(' · ') || '—',
    ),
    ...kv('Database', fmtBytes(t.disk.databaseBytes)),
    ...kv('Snapshots', `${t.disk.snapshots.count} files, ${fmtBytes(t.disk.snapshots.bytes)}`),
    ...kv('Disk free', `${fmtBytes(t.disk.freeBytes)} of ${fmtBytes(t.disk.totalBytes)} (${t.disk.dataDir})`),
    ...kv('Retention', retention(t.retention)),
    ...kv('Box', vitals(t.box)),
  );
}

/**
 * "traycheck-det v3", or the version alone when it already names the model
 * ("traycheck-det-2024-06-01"), never "(traycheck, vtraycheck-det …)".
 */
function modelLine(m) {
  const name = m.name.replace(/\.onnx$/, '');
  if (!m.version) return name;
  return /^v?\d/.test(m.version) ? `${name} v${m.version.replace(/^v/, '')}` : m.version;
}

/** "load 0.4 of 4 CPUs · memory 1.2 GB free of 4.0 GB · 52 °C · up 3 days". */
function vitals(b) {
  const busy = b.load1 / b.cpuCount;
  const up =
    b.uptimeS >= 86_400 ? `${Math.floor(b.uptimeS / 86_400)} days` : `${Math.floor(b.uptimeS / 3600)} h`;
  return [
    el('div', { class: busy > 0.9 ? 'warn-text' : '' }, `Load ${b.load1.toFixed(2)} on ${b.cpuCount} CPUs`),
    el(
      'div',
      {},
      `Memory ${fmtBytes(b.memFreeBytes)} free of ${fmtBytes(b.memTotalBytes)} (traycheck uses ${fmtBytes(b.daemonRssBytes)})`,
    ),
    b.temperatureC === null
      ? null
      : el(
          'div',
          { class: b.temperatureC >= 80 ? 'warn-text' : '' },
          `Temperature ${b.temperatureC.toFixed(0)} °C`,
        ),
    el('div', {}, `Up ${up}`),
  ];
}

/** storage.* retention keys in plain words, e.g. "Snapshots: 14 days, at most 2 GB". */
function retention(r) {
  const parts = [];
  const days = (n) => `${n} day${n === 1 ? '' : 's'}`;
  if (r.snapshotRetentionDays !== undefined)
    parts.push(
      `Snapshots: ${days(r.snapshotRetentionDays)}${r.snapshotMaxBytes ? `, at most ${fmtBytes(r.snapshotMaxBytes)}` : ''}`,
    );
  if (r.verdictRetentionDays !== undefined)
    parts.push(`Verdicts and alerts: ${days(r.verdictRetentionDays)}`);
  if (r.diskReserveBytes !== undefined)
    parts.push(`Snapshots pause below ${fmtBytes(r.diskReserveBytes)} free`);
  if (r.retentionIntervalMin !== undefined) parts.push(`Clean-up every ${r.retentionIntervalMin} min`);
  return parts.length ? parts.map((p) => el('div', {}, p)) : '—';
}

/** The camera's latest picture, redrawn each refresh; hidden until one exists (no broken image). */
function thumbnail(c) {
  const img = el('img', {
    class: 'thumb',
    alt: `latest picture from ${c.cameraId}`,
    src: `/api/live/${encodeURIComponent(c.cameraId)}.jpg?t=${Date.now()}`,
  });
  img.addEventListener('error', () => img.replaceWith(el('span', { class: 'muted' }, 'no picture yet')));
  return img;
}

async function render() {
  const [t, r] = await Promise.all([api('/api/tech'), api('/api/rejected')]);
  fillTable(
    $('cameras'),
    ['Camera', 'Picture', 'State', 'FPS', 'Frames', 'Dropped', 'Last frame', 'Restarts', 'Last error'],
    t.cameras.map((c) =>
      el(
        'tr',
        {},
        // The button sits under the name: on a phone the rest of the row is scrolled away.
        el('td', {}, el('div', {}, c.cameraId), admin ? reconnectButton(c.cameraId) : null),
        el('td', {}, el('a', { href: `/live?camera=${encodeURIComponent(c.cameraId)}` }, thumbnail(c))),
        el('td', {}, badge(c.state), c.idle ? ' idle' : ''),
        el('td', { class: 'num' }, c.fps.toFixed(1)),
        el('td', { class: 'num' }, c.framesTotal),
        el('td', { class: 'num' }, c.framesDropped),
        el('td', {}, c.lastFrameTs ? `${fmtAge(Date.now() - c.lastFrameTs)} ago` : '—'),
        el('td', { class: 'num' }, c.restarts),
        el('td', {}, c.lastError ?? ''),
      ),
    ),
  );
  fillTable(
    $('health'),
    ['Component', 'State', 'Detail'],
    Object.entries(t.health.components).map(([name, c]) =>
      el('tr', {}, el('td', {}, name), el('td', {}, badge(c.state)), el('td', {}, c.detail)),
    ),
  );
  facts(t);
  fillTable(
    $('warnings'),
    ['Time', 'Where', 'What'],
    t.warnings
      .slice(0, 20)
      .map((w) =>
        el(
          'tr',
          {},
          el('td', {}, fmtDateTime(w.ts)),
          el('td', {}, w.stage ?? '—'),
          el('td', {}, w.level === 'warn' ? '' : [el('span', { class: 'badge down' }, w.level), ' '], w.msg),
        ),
      ),
  );
  fillTable(
    $('rejected'),
    ['Time', 'Topic', 'Reason', 'Payload'],
    r.rejected.map((m) =>
      el(
        'tr',
        {},
        el('td', {}, fmtDateTime(m.receivedAt)),
        el('td', {}, m.topic),
        el('td', {}, m.reason),
        el('td', {}, el('code', {}, m.payload.slice(0, 160))),
      ),
    ),
  );
  $('updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
}

run(async () => {
  const me = await setupPage('Technician');
  admin = me.role === 'admin';
  if (admin) setupBrokerTest();
  connectEvents({}); // the dot and the bar say whether this box is reachable
  await render();
  // Health is only useful when current: refresh while the page is open.
  setInterval(() => void render().catch(() => undefined), REFRESH_MS);
  const { schemas } = await api('/api/schemas');
  $('docs').replaceChildren(
    el('li', {}, el('a', { href: '/api/health' }, 'Health (JSON)')),
    el('li', {}, el('a', { href: '/api/openapi.json' }, 'OpenAPI document')),
    el('li', {}, el('a', { href: '/api/config/schema.json' }, 'Config JSON Schema')),
    el('li', {}, el('a', { href: '/metrics' }, 'Prometheus metrics')),
    ...schemas.map((s) => el('li', {}, el('a', { href: s.url }, `POS payload schema: ${s.name}`))),
  );
  if (me.role === 'admin') await setupAdmin(me);
  document.body.dataset.ready = '1';
});
