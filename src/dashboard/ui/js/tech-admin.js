// Technician view, admin part: staff accounts (add, delete, make admin/staff) and wall screens
// (pair once with a one-time link, revoke). Deleting, revoking or changing a role closes that
// account's open screens at once on the server.
import { api, el, fmtDateTime, showError } from './common.js';

const $ = (id) => document.getElementById(id);

function row(u, me) {
  const act = (label, fn, cls = 'btn small') =>
    el(
      'button',
      { class: cls, type: 'button', onclick: () => void fn().catch(showError).then(users) },
      label,
    );
  const actions = [];
  if (u.role === 'display') {
    actions.push(
      act(
        'Revoke',
        async () => {
          if (confirm(`Revoke wall screen ${u.username}? It shows NOT CONNECTED at once.`))
            await api(`/api/users/${encodeURIComponent(u.username)}`, { method: 'DELETE' });
        },
        'btn small danger',
      ),
    );
  } else if (u.username !== me.username) {
    const next = u.role === 'admin' ? 'staff' : 'admin';
    actions.push(
      act(`Make ${next}`, () =>
        api(`/api/users/${encodeURIComponent(u.username)}/role`, { method: 'POST', body: { role: next } }),
      ),
    );
    if (u.role === 'staff')
      actions.push(
        act(
          'Delete',
          async () => {
            if (confirm(`Delete user ${u.username}?`))
              await api(`/api/users/${encodeURIComponent(u.username)}`, { method: 'DELETE' });
          },
          'btn small danger',
        ),
      );
  }
  return el(
    'tr',
    { 'data-user': u.username },
    el('td', {}, u.username),
    el('td', {}, u.role === 'display' ? 'wall screen' : u.role),
    el('td', {}, u.createdAt ? fmtDateTime(u.createdAt) : ''),
    el('td', { class: 'actions' }, actions),
  );
}

let current = null;

export async function users() {
  const { users: list } = await api('/api/users');
  $('users').replaceChildren(
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ['User', 'Role', 'Created', ''].map((h) => el('th', {}, h)),
      ),
    ),
    el(
      'tbody',
      {},
      list.map((u) => row(u, current)),
    ),
  );
}

function onSubmit(form, fn) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await fn(new FormData(form));
      form.reset();
      await users();
    } catch (err) {
      showError(err);
    }
  });
}

export async function setupAdmin(me) {
  current = me;
  $('admin').hidden = false;
  await users();
  $('config').textContent = JSON.stringify(await api('/api/config'), null, 2);
  onSubmit($('newuser'), (data) =>
    api('/api/users', {
      method: 'POST',
      body: { username: String(data.get('username')).trim(), password: String(data.get('password')) },
    }),
  );
  onSubmit($('pair'), async (data) => {
    const r = await api('/api/displays', { method: 'POST', body: { name: String(data.get('name')).trim() } });
    const link = `${location.origin}${r.pairPath}`;
    $('pairlink').replaceChildren(
      'Open this link once on the wall tablet (valid until ',
      new Date(r.expiresAt).toLocaleTimeString(),
      '): ',
      el('a', { href: link, class: 'pair-url' }, link),
    );
    $('pairlink').hidden = false;
  });
}
