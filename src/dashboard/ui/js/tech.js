// Technician view: cameras, health, broker, model, disk, rejected messages; admin: users and config.
import { api, el, fmtAge, fmtBytes, fmtDateTime, run, setupPage, showError } from './common.js';

const $ = (id) => document.getElementById(id);
const table = (node, head, rows) =>
  node.replaceChildren(
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        head.map((h) => el('th', {}, h)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.length ? rows : el('tr', {}, el('td', { class: 'muted', colspan: head.length }, 'none')),
    ),
  );
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
    ...kv('Model', `${t.model.name} (${t.model.family}${t.model.version ? `, v${t.model.version}` : ''})`),
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
    ...kv(
      'Retention',
      Object.entries(t.retention)
        .map(([k, v]) => `${k}: ${v}`)
        .join(' · ') || '—',
    ),
  );
}

async function users() {
  const { users } = await api('/api/users');
  table(
    $('users'),
    ['User', 'Role', 'Created', ''],
    users.map((u) =>
      el(
        'tr',
        {},
        el('td', {}, u.username),
        el('td', {}, u.role),
        el('td', {}, u.createdAt ? fmtDateTime(u.createdAt) : ''),
        el(
          'td',
          {},
          u.role === 'staff'
            ? el(
                'button',
                { class: 'btn small danger', type: 'button', onclick: () => void removeUser(u.username) },
                'Delete',
              )
            : '',
        ),
      ),
    ),
  );
}

async function removeUser(name) {
  if (!confirm(`Delete user ${name}?`)) return;
  await api(`/api/users/${encodeURIComponent(name)}`, { method: 'DELETE' }).catch(showError);
  await users();
}

run(async () => {
  const me = await setupPage('Technician');
  const [t, r] = await Promise.all([api('/api/tech'), api('/api/rejected')]);
  table(
    $('cameras'),
    ['Camera', 'State', 'FPS', 'Frames', 'Dropped', 'Last frame', 'Restarts', 'Last error'],
    t.cameras.map((c) =>
      el(
        'tr',
        {},
        el('td', {}, c.cameraId),
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
  table(
    $('health'),
    ['Component', 'State', 'Detail'],
    Object.entries(t.health.components).map(([name, c]) =>
      el('tr', {}, el('td', {}, name), el('td', {}, badge(c.state)), el('td', {}, c.detail)),
    ),
  );
  facts(t);
  table(
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
  const { schemas } = await api('/api/schemas');
  $('docs').replaceChildren(
    el('li', {}, el('a', { href: '/api/health' }, 'Health (JSON)')),
    el('li', {}, el('a', { href: '/api/openapi.json' }, 'OpenAPI document')),
    el('li', {}, el('a', { href: '/api/config/schema.json' }, 'Config JSON Schema')),
    el('li', {}, el('a', { href: '/metrics' }, 'Prometheus metrics')),
    ...schemas.map((s) => el('li', {}, el('a', { href: s.url }, `POS payload schema: ${s.name}`))),
  );
  if (me.role === 'admin') {
    $('admin').hidden = false;
    await users();
    $('config').textContent = JSON.stringify(await api('/api/config'), null, 2);
    const form = $('newuser');
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const data = new FormData(form);
      try {
        await api('/api/users', {
          method: 'POST',
          body: { username: String(data.get('username')).trim(), password: String(data.get('password')) },
        });
        form.reset();
        await users();
      } catch (err) {
        showError(err);
      }
    });
  }
  document.body.dataset.ready = '1';
});
