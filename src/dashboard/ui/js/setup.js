// First start: the one-time token comes in the link printed on the console.
const form = document.getElementById('setup');
const msg = document.getElementById('msg');
const token = new URLSearchParams(location.search).get('token') || '';
// Keep the token out of the address bar and history once read.
history.replaceState(null, '', '/setup');

fetch('/api/setup')
  .then((r) => r.json())
  .then((s) => {
    if (!s.pending) {
      msg.textContent = 'Setup is already done. Redirecting to log in…';
      setTimeout(() => (location.href = '/login'), 1500);
    } else if (!token) {
      msg.textContent = 'This page needs the setup link printed on the traycheck console.';
    }
  })
  .catch(() => undefined);

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  msg.textContent = '';
  const data = new FormData(form);
  const password = String(data.get('password'));
  if (password !== String(data.get('repeat'))) {
    msg.textContent = 'The passwords differ.';
    return;
  }
  const res = await fetch('/api/setup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, username: String(data.get('username')).trim(), password }),
    credentials: 'same-origin',
  });
  if (res.ok) {
    location.href = '/';
    return;
  }
  const body = await res.json().catch(() => ({}));
  msg.textContent = body.error || `Setup failed (${res.status})`;
});
