// Login form; after success go back to the page that sent us here (same-site paths only).
const form = document.getElementById('login');
const msg = document.getElementById('msg');

function nextPath() {
  const next = new URLSearchParams(location.search).get('next') || '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

// First start: nobody can log in until the admin password is set through the console's setup link.
fetch('/api/setup')
  .then((r) => r.json())
  .then((s) => {
    if (s.pending)
      msg.textContent =
        'First start: open the setup link printed on the traycheck console to set the admin password.';
  })
  .catch(() => undefined);

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  msg.textContent = '';
  const data = new FormData(form);
  const res = await fetch('/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: String(data.get('username')).trim(),
      password: String(data.get('password')),
    }),
    credentials: 'same-origin',
  });
  if (res.ok) {
    location.href = nextPath();
    return;
  }
  const body = await res.json().catch(() => ({}));
  msg.textContent =
    res.status === 429
      ? `Too many attempts. Try again in ${res.headers.get('retry-after') ?? 'a few'} s.`
      : body.error || 'Login failed';
});
