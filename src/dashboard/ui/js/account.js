// Change your own password: the other sessions of this account end on the server
// and their open screens show NOT CONNECTED at once.
import { api, ApiError, run, setupPage } from './common.js';
import { connectEvents } from './connection.js';

const form = document.getElementById('password');
const msg = document.getElementById('msg');

run(async () => {
  const me = await setupPage('Account');
  connectEvents({});
  if (me.role === 'display') {
    form.hidden = true;
    msg.textContent = 'A wall screen has no password.';
  }
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    msg.classList.remove('ok');
    if (data.get('password') !== data.get('repeat')) {
      msg.textContent = 'The two new passwords differ.';
      return;
    }
    try {
      const r = await api('/api/me/password', {
        method: 'POST',
        body: { current: String(data.get('current')), password: String(data.get('password')) },
      });
      form.reset();
      msg.classList.add('ok');
      msg.textContent = `Password changed. ${r.endedSessions} other session${r.endedSessions === 1 ? '' : 's'} logged out.`;
    } catch (err) {
      msg.textContent = err instanceof ApiError ? err.message : String(err);
    }
  });
  document.body.dataset.ready = '1';
});
