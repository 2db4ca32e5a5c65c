// Default view: open alerts as large cards, live over SSE, one tap to acknowledge.
import { api, connectEvents, el, fmtAge, kiosk, run, setupPage, showError } from './common.js';

const cards = new Map(); // alert id -> { alert, node }
const list = document.getElementById('alerts');
const empty = document.getElementById('empty');
const FIXED_SHOW_MS = 4000;
let loaded = false;

// --- sound: WebAudio beep, off until someone turns it on (browsers need a tap to start audio) ---
let audio = null;
let soundOn = localStorage.getItem('traycheck.sound') === 'on';
const soundBtn = el('button', {
  class: 'btn small',
  type: 'button',
  id: 'sound',
  'aria-pressed': String(soundOn),
});
function renderSound() {
  soundBtn.textContent = soundOn ? 'Sound: on' : 'Sound: off';
  soundBtn.setAttribute('aria-pressed', String(soundOn));
}
soundBtn.addEventListener('click', () => {
  soundOn = !soundOn;
  localStorage.setItem('traycheck.sound', soundOn ? 'on' : 'off');
  renderSound();
  if (soundOn) beep();
});
function beep() {
  if (!soundOn) return;
  audio ??= new AudioContext();
  void audio.resume();
  const t = audio.currentTime;
  for (const [i, freq] of [880, 660].entries()) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t + i * 0.18);
    gain.gain.exponentialRampToValueAtTime(0.4, t + i * 0.18 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.18 + 0.16);
    osc.connect(gain).connect(audio.destination);
    osc.start(t + i * 0.18);
    osc.stop(t + i * 0.18 + 0.17);
  }
}

/** "Missing: 1 × Burger, 2 × Fries" → nodes where no "1 × Burger" breaks across lines. */
function keepTogether(line) {
  const i = line.indexOf(': ');
  if (i < 0) return [line];
  const items = line.slice(i + 2).split(', ');
  return [
    line.slice(0, i + 2),
    ...items.flatMap((item, k) => [k ? ', ' : '', el('span', { class: 'nowrap' }, item)]),
  ];
}

function renderCard(a) {
  const diff = el(
    'ul',
    { class: 'diff' },
    a.lines.map((line) =>
      el('li', { class: line.startsWith('Missing') ? 'missing' : 'extra' }, ...keepTogether(line)),
    ),
  );
  if (a.lines.length === 0) diff.append(el('li', {}, 'Check this tray'));
  const ack = el(
    'button',
    { class: 'btn ack', type: 'button', onclick: () => void acknowledge(a.id, ack) },
    'Acknowledge',
  );
  return el(
    'article',
    { class: 'card alert', 'data-id': a.id, 'data-order': a.orderId ?? '' },
    a.snapshotId
      ? el('img', {
          class: 'snap',
          src: `/api/snapshots/${encodeURIComponent(a.snapshotId)}.jpg`,
          alt: 'tray snapshot',
        })
      : el('div', { class: 'snap none' }, 'no picture'),
    el(
      'div',
      { class: 'body' },
      el('div', { class: 'order' }, a.orderId ? `Order #${a.orderId}` : 'Unlinked tray'),
      diff,
      el(
        'div',
        { class: 'meta' },
        el('span', { class: 'age', 'data-opened': a.openedAt }, fmtAge(Date.now() - a.openedAt)),
        ` · ${a.cameraId}`,
      ),
    ),
    ack,
    el('div', { class: 'stamp', 'aria-live': 'polite' }),
  );
}

function refreshEmpty() {
  empty.hidden = cards.size > 0;
}

function upsert(a) {
  const cur = cards.get(a.id);
  if (a.status === 'open') {
    const node = renderCard(a);
    if (cur) cur.node.replaceWith(node);
    else list.append(node);
    cards.set(a.id, { alert: a, node });
    if (!cur && loaded) beep();
  } else if (cur) {
    leave(a, cur.node);
  }
  refreshEmpty();
}

/** Corrected → a short "Fixed" confirmation; acknowledged or served → gone at once. */
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
  refreshEmpty();
}

async function acknowledge(id, button) {
  button.disabled = true;
  try {
    const a = await api(`/api/alerts/${id}/ack`, { method: 'POST' });
    upsert(a);
  } catch (err) {
    button.disabled = false;
    showError(err);
  }
}

setInterval(() => {
  for (const node of document.querySelectorAll('.age[data-opened]')) {
    node.textContent = fmtAge(Date.now() - Number(node.dataset.opened));
  }
}, 1000);

run(async () => {
  renderSound();
  // Kiosk mode has no top bar; the sound toggle stays reachable in a corner.
  if (kiosk) document.body.append(el('div', { class: 'kiosk-tools' }, soundBtn));
  await setupPage('Alerts', kiosk ? [] : [soundBtn]);
  connectEvents({ alert: upsert });
  const { alerts } = await api('/api/alerts');
  for (const a of alerts) if (!cards.has(a.id)) upsert(a);
  loaded = true;
  refreshEmpty();
  document.body.dataset.ready = '1';
});
