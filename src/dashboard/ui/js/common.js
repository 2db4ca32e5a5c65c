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
      el('a', { class: 'muted user', href: '/account', title: 'your account: change password' }, user.username),
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

/**
 * Live events with connection truth (issue #20). handlers: { alert, verdict, camera, order, resync }.
 * Every event id is remembered; after any break the page reconnects by itself and the server
 * replays what was missed (or sends `resync` when it cannot, and the page reloads its lists).
 * While the stream is down for more than DOWN_GRACE_MS, or the session is gone, the page says so:
 * `fullScreen` (the staff screen) covers everything with NOT CONNECTED, other pages show a bar.
 * `onState(state)` hears 'live' | 'reconnecting' | 'down' | 'logged-out'.
 */
const DOWN_GRACE_MS = 2500;
const RETRY_MS = 2000;

export function connectEvents(handlers, { fullScreen = false, onState } = {}) {
  let es = null;
  let lastId = null;
  let heartbeatMs = 15_000;
  let opened = false;
  let state = '';
  let downSince = null;
  const timers = { watchdog: null, grace: null, retry: null };
  const clear = (name) => {
    clearTimeout(timers[name]);
    timers[name] = null;
  };

  const setState = (next) => {
    if (next === state) return;
    state = next;
    document.body.dataset.conn = next;
    for (const dot of document.querySelectorAll('.conn')) {
      dot.classList.toggle('down', next !== 'live');
      dot.title = next === 'live' ? 'live: connected' : 'not connected';
    }
    if (next === 'live') downSince = null;
    else if (next !== 'reconnecting') downSince ??= Date.now();
    renderOffline(next, downSince, fullScreen);
    onState?.(next);
  };

  /** Any byte from the server proves the connection; silence past two heartbeats does not. */
  const alive = () => {
    clear('watchdog');
    timers.watchdog = setTimeout(() => lost(), heartbeatMs * 2 + 1000);
  };

  const lost = () => {
    es?.close();
    es = null;
    clear('watchdog');
    clear('grace');
    if (state === 'live' || state === 'reconnecting' || state === '') setState('down');
    // Is the session still there? A 401 means nobody will see alerts until someone logs in.
    fetch('/api/me', { credentials: 'same-origin', cache: 'no-store' })
      .then((res) => setState(res.status === 401 ? 'logged-out' : 'down'))
      .catch(() => setState('down'));
    clear('retry');
    timers.retry = setTimeout(open, RETRY_MS);
  };

  const open = () => {
    clear('retry');
    es?.close();
    const url = lastId ? `/api/events?since=${encodeURIComponent(lastId)}` : '/api/events';
    const source = new EventSource(url);
    es = source;
    source.addEventListener('hello', (ev) => {
      const hello = JSON.parse(ev.data);
      heartbeatMs = hello.heartbeatMs;
      lastId ??= hello.lastEventId;
      clear('grace');
      alive();
      setState('live');
      // Back after a break: lists are reloaded as well as the replay (belt and braces).
      if (opened) handlers.resync?.();
      opened = true;
    });
    source.addEventListener('ping', alive);
    source.addEventListener('resync', (ev) => {
      if (ev.lastEventId) lastId = ev.lastEventId;
      handlers.resync?.();
    });
    for (const [name, fn] of Object.entries(handlers)) {
      if (name === 'resync') continue;
      source.addEventListener(name, (ev) => {
        if (ev.lastEventId) lastId = ev.lastEventId;
        alive();
        fn(JSON.parse(ev.data));
      });
    }
    source.addEventListener('error', () => {
      if (es !== source) return;
      // CLOSED: the browser gave up (a 401, a 5xx): we retry ourselves. CONNECTING: it retries
      // by itself (sending Last-Event-ID); say so once the break outlasts a blip.
      if (source.readyState === EventSource.CLOSED) return lost();
      if (state === 'live') setState('reconnecting');
      if (!timers.grace) timers.grace = setTimeout(lost, DOWN_GRACE_MS);
    });
  };

  open();
  return { state: () => state };
}

function renderOffline(state, since, fullScreen) {
  let box = document.getElementById('offline');
  if (state === 'live' || state === 'reconnecting') {
    if (box) box.hidden = true;
    return;
  }
  box ??= document.body.appendChild(
    el('div', { id: 'offline', class: fullScreen ? 'offline full' : 'offline bar', role: 'alert' }),
  );
  const next = encodeURIComponent(location.pathname + location.search);
  const detail =
    state === 'logged-out'
      ? kiosk
        ? 'This screen is logged out or no longer paired. Ask the manager to pair it again on the Technician page.'
        : 'The login has ended.'
      : 'Trying to reconnect…';
  box.replaceChildren(
    el('strong', { class: 'headline' }, 'NOT CONNECTED — alerts are not being shown'),
    el('span', { class: 'detail' }, detail, since ? ` Since ${fmtTime(since)}.` : ''),
    state === 'logged-out' && !kiosk
      ? el('a', { class: 'btn', href: `/login?next=${next}` }, 'Log in again')
      : null,
  );
  box.hidden = false;
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
