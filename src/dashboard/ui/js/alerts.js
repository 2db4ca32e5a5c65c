// Default view, the staff screen: open alerts as large cards, live over SSE, one tap to
// acknowledge or to call it a false alarm (either with 5 s to undo). It never shows "all OK"
// while it cannot know.
import { renderCard } from './alert-card.js';
import { beep, setTitle, setupSound, soundButton } from './attention.js';
import { api, el, fmtAge, kiosk, run, setupPage, showError } from './common.js';
import { connectEvents } from './connection.js';

const cards = new Map(); // alert id -> { alert, node }
const list = document.getElementById('alerts');
const empty = document.getElementById('empty');
const FIXED_SHOW_MS = 4000;
const UNDO_MS = 5000;
const FLASH_MS = 15_000;
let loaded = false;
let connected = false; // until the stream says hello, "all OK" would be a guess
let escalateAfterMs = 90_000;
let titleBase = 'Alerts';

function refresh() {
  empty.hidden = cards.size > 0 || !connected;
  setTitle(titleBase, cards.size, connected);
}

const hooks = { acknowledge, falseAlarm, undo, dismiss };

function upsert(a) {
  const cur = cards.get(a.id);
  // Served wrong stays until someone dismisses it on any screen (the server keeps who and when).
  if (a.status === 'open' || (a.resolution === 'served-with-error' && !a.dismissedAt)) {
    if (cur?.node.classList.contains('acking') && a.status === 'open') return;
    // Replay and resync both deliver the same alert after a break: draw it once.
    if (cur && JSON.stringify(cur.alert) === JSON.stringify(a)) return;
    const node = renderCard(a, hooks, cur?.node);
    if (cur) {
      for (const c of ['new', 'urgent']) if (cur.node.classList.contains(c)) node.classList.add(c);
      cur.node.replaceWith(node);
    } else {
      list.append(node);
      if (loaded) attention(node, a);
    }
    if (a.resolution === 'served-with-error' && cur && !cur.node.classList.contains('served-wrong')) {
      attention(node, a);
    }
    cards.set(a.id, { alert: a, node });
  } else if (cur) {
    leave(a, cur.node);
  }
  refresh();
}

/** A new card flashes its border for a while and the counter hears it. */
function attention(node, a) {
  node.classList.add('new');
  setTimeout(() => node.classList.remove('new'), FLASH_MS);
  beep(a.resolution === 'served-with-error');
}

/** Corrected → a short "Fixed" confirmation; acknowledged, false alarm or relinked → gone at once. */
function leave(a, node) {
  if (node.classList.contains('leaving')) return;
  node.classList.add('leaving');
  if (a.resolution === 'corrected') {
    node.classList.add('fixed');
    node.querySelector('.stamp').textContent = '✓ Fixed';
    setTimeout(() => drop(a.id, node), FIXED_SHOW_MS);
  } else {
    drop(a.id, node);
  }
}

function drop(id, node) {
  node.remove();
  if (cards.get(id)?.node === node) cards.delete(id);
  refresh();
}

function acknowledge(a, node) {
  sendLater(a, node, 'button.ack', `/api/alerts/${a.id}/ack`);
}
function falseAlarm(a, node) {
  sendLater(a, node, 'button.false-alarm', `/api/alerts/${a.id}/false-alarm`);
}

/** Acknowledge and False alarm wait UNDO_MS so a mistaken tap can be taken back; then it is sent. */
function sendLater(a, node, selector, path) {
  const button = node.querySelector(selector);
  for (const other of node.querySelectorAll('.actions button')) other.hidden = other !== button;
  node.classList.add('acking');
  let left = UNDO_MS / 1000;
  const label = () => (button.textContent = `Undo (${left})`);
  label();
  button.onclick = () => undo(a, node);
  node._undo = setInterval(() => {
    left--;
    if (left > 0) return label();
    clearInterval(node._undo);
    button.disabled = true;
    api(path, { method: 'POST' }).then(upsert, (err) => {
      undo(a, node);
      showError(err);
    });
  }, 1000);
}

/** Back to the card as it was, both buttons there (a redraw: the tapped one says "Undo"). */
function undo(a, node) {
  clearInterval(node._undo);
  if (cards.get(a.id)?.node !== node) return;
  const fresh = renderCard(a, hooks, node);
  if (node.classList.contains('urgent')) fresh.classList.add('urgent');
  node.replaceWith(fresh);
  cards.set(a.id, { alert: a, node: fresh });
}

/** Dismiss on the server: every wall screen drops the card (the alert event) and a reload keeps it gone. */
function dismiss(a, node) {
  const button = node.querySelector('button.ack');
  if (button) button.disabled = true;
  api(`/api/alerts/${a.id}/dismiss`, { method: 'POST' }).then(upsert, (err) => {
    if (button) button.disabled = false;
    showError(err);
  });
}

/** Reload the lists after a break: new ones appear, ones closed meanwhile leave. */
async function resync() {
  const { alerts, servedWrong } = await api('/api/alerts');
  const current = new Set([...alerts, ...servedWrong].map((a) => a.id));
  for (const [id, { alert, node }] of cards) {
    if (!current.has(id) && alert.status === 'open' && !node.classList.contains('leaving')) {
      const now = await api(`/api/alerts/${id}`).catch(() => null);
      if (now) upsert(now);
      else drop(id, node);
    }
  }
  for (const a of [...alerts, ...servedWrong]) upsert(a);
}

setInterval(() => {
  const now = Date.now();
  for (const { alert, node } of cards.values()) {
    const age = node.querySelector('.age[data-opened]');
    if (age) age.textContent = fmtAge(now - alert.openedAt);
    if (
      alert.status === 'open' &&
      now - alert.openedAt > escalateAfterMs &&
      !node.classList.contains('urgent')
    ) {
      node.classList.add('urgent');
      beep(true);
    }
  }
}, 1000);

run(async () => {
  // Kiosk mode has no top bar; the sound toggle stays reachable in a corner.
  if (kiosk)
    document.body.append(
      el('div', { class: 'kiosk-tools' }, el('span', { class: 'conn down' }, '●'), soundButton),
    );
  setupSound(document.querySelector('main'));
  const me = await setupPage('Alerts', kiosk ? [] : [soundButton]);
  escalateAfterMs = me.alertEscalateAfterS * 1000;
  titleBase = `Alerts · ${me.storeName}`;
  connectEvents(
    { alert: upsert, resync: () => resync().catch(showError) },
    {
      fullScreen: true,
      onState: (s) => {
        connected = s === 'live' || s === 'reconnecting';
        refresh();
      },
    },
  );
  const { alerts, servedWrong } = await api('/api/alerts');
  for (const a of [...alerts, ...servedWrong]) if (!cards.has(a.id)) upsert(a);
  loaded = true;
  refresh();
  document.body.dataset.ready = '1';
});
