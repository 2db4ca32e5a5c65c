// Connection truth: every page shows whether it is live; the staff screen covers
// itself with NOT CONNECTED rather than show a calm screen it cannot vouch for.
import { el, fmtTime, kiosk } from './common.js';

/**
 * Live events with connection truth. handlers: { alert, verdict, camera, order, resync }.
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
  if (!box) {
    box = el('div', { id: 'offline', class: fullScreen ? 'offline full' : 'offline bar', role: 'alert' });
    // The bar sits right under the top bar (sticky from there), not after the page's content.
    const top = document.getElementById('top');
    if (top) top.after(box);
    else document.body.prepend(box);
  }
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
