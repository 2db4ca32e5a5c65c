// Shared by every page: API calls with the CSRF header, the header/nav, DOM helpers, live events.
// Plain browser JavaScript (ES modules), no framework, nothing loaded from another host.

export const params = new URLSearchParams(location.search);
export const kiosk = params.get('kiosk') === '1';
let me = null;

/** Create an element: el('div', { class: 'x', onclick: fn }, 'text', child...). Text is never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Fills a <table> with a header row and body rows ("none" when there are none). */
export function fillTable(node, head, rows) {
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
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(path, { method = 'GET', body } = {}, retried = false) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET') {
    if (!me) await loadMe();
    headers['x-csrf-token'] = me ? me.csrfToken : '';
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (res.status === 401 && !path.startsWith('/api/login')) {
    location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    throw new ApiError(401, 'not logged in');
  }
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  // Logged in again since the page loaded (e.g. after NOT CONNECTED): the CSRF token is new.
  if (res.status === 403 && method !== 'GET' && !retried && /CSRF/.test(data?.error ?? '')) {
    me = null;
    return api(path, { method, body }, true);
  }
  if (!res.ok) throw new ApiError(res.status, (data && data.error) || res.statusText);
  return data;
}

export async function loadMe() {
  me = await api('/api/me');
  return me;
}

const NAV = [
  ['/', 'Alerts'],
  ['/live', 'Live'],
  ['/orders', 'Orders'],
  ['/history', 'History'],
  ['/manager', 'Manager'],
  ['/tech', 'Technician'],
];

/** Build the top bar; returns the logged-in user. `extra` nodes go to the right side. */
export async function setupPage(title, extra = []) {
  if (kiosk) document.body.classList.add('kiosk');
  const user = await loadMe();
  document.title = `${title} · ${user.storeName} · traycheck`;
  const status = el('span', { class: 'conn down', title: 'connecting', role: 'status' }, '●');
  const logout = el(
    'button',
    { class: 'btn small', type: 'button', onclick: () => void logoutNow() },
    'Log out',
  );
  const nav = el(
    'nav',
    { 'aria-label': 'views' },
    NAV.map(([href, label]) => el('a', { href, class: location.pathname === href ? 'active' : '' }, label)),
  );
  const top = document.getElementById('top');
  top.replaceChildren(
    el(
      'div',
      { class: 'brand' },
      el('strong', {}, user.storeName),
      ' ',
      el('span', { class: 'muted' }, title),
    ),
    nav,
    el(
      'div',
      { class: 'right' },
      ...extra,
      status,
      el(
        'a',
        { class: 'muted user', href: '/account', title: 'your account: change password' },
        user.username,
      ),
      logout,
    ),
  );
  return user;
}

async function logoutNow() {
  try {
    await api('/api/logout', { method: 'POST' });
  } finally {
    location.href = '/login';
  }
}

export function fmtAge(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}:${String(s % 60).padStart(2, '0')} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const fmtTime = (ts) =>
  new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
export const fmtDateTime = (ts) =>
  new Date(ts).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' });

export function fmtBytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

export function showError(err) {
  const box =
    document.getElementById('error') ??
    document.body.appendChild(el('div', { id: 'error', class: 'error', role: 'alert' }));
  box.textContent = err instanceof Error ? err.message : String(err);
  box.hidden = false;
}

/** Run the page's async main and show its failure instead of a blank page. */
export function run(main) {
  main().catch((err) => {
    if (!(err instanceof ApiError && err.status === 401)) showError(err);
  });
}
