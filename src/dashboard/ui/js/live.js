// Live view: the MJPEG stream (encoded once per frame on the box, shared by all viewers) and
// the trays in view checked line by line against their linked order.
import { api, el, params, run, setupPage } from './common.js';
import { connectEvents } from './connection.js';

const img = document.getElementById('stream');
const trays = document.getElementById('trays');
const tabs = document.getElementById('camtabs');
let camera = null;
let timer = null;

function mark(ok) {
  if (ok === null) return el('td', { class: 'mark' }, '–');
  return el(
    'td',
    { class: `mark ${ok ? 'yes' : 'no'}`, 'aria-label': ok ? 'matches' : 'differs' },
    ok ? '✓' : '✗',
  );
}

function renderTrays(list) {
  if (list.length === 0) {
    trays.replaceChildren(el('p', { class: 'muted' }, 'No tray in view.'));
    return;
  }
  trays.replaceChildren(
    ...list.map((t) =>
      el(
        'div',
        { class: 'tray' },
        el(
          'h2',
          {},
          t.orderId ? `Order #${t.orderId}` : 'No order linked',
          ' ',
          el('span', { class: `badge ${t.settled ? 'ok' : 'uncertain'}` }, t.settled ? 'settled' : 'moving'),
        ),
        el(
          'table',
          {},
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              el('th', {}, 'Item'),
              el('th', { class: 'num' }, 'Order'),
              el('th', { class: 'num' }, 'Seen'),
              el('th', {}, ''),
            ),
          ),
          el(
            'tbody',
            {},
            t.lines.map((l) =>
              el(
                'tr',
                {},
                el('td', {}, l.name),
                el('td', { class: 'num' }, l.expected ?? '–'),
                el('td', { class: 'num' }, l.counted),
                mark(l.ok),
              ),
            ),
          ),
        ),
        el('div', { class: 'muted' }, `tray ${t.trayId}`),
      ),
    ),
  );
}

async function poll() {
  if (!camera) return;
  try {
    renderTrays((await api(`/api/live/${encodeURIComponent(camera)}/trays`)).trays);
  } catch {
    /* next poll retries */
  }
}

function select(id, buttons) {
  camera = id;
  img.src = `/api/live/${encodeURIComponent(id)}.mjpg`;
  for (const b of buttons) b.classList.toggle('active', b.dataset.camera === id);
  for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.camera === id));
  void poll();
}

run(async () => {
  await setupPage('Live');
  connectEvents({}); // the dot and the bar say whether this box is reachable
  const { cameras } = await api('/api/cameras');
  if (cameras.length === 0) {
    trays.replaceChildren(el('p', { class: 'muted' }, 'No camera configured.'));
    return;
  }
  const buttons = cameras.map((c) =>
    el(
      'button',
      {
        class: 'btn small',
        type: 'button',
        'data-camera': c.cameraId,
        onclick: () => select(c.cameraId, buttons),
      },
      `${c.cameraId} (${c.state})`,
    ),
  );
  tabs.replaceChildren(...buttons);
  select(params.get('camera') ?? cameras[0].cameraId, buttons);
  timer = setInterval(() => void poll(), 1000);
  addEventListener('pagehide', () => {
    clearInterval(timer);
    img.removeAttribute('src');
  });
  document.body.dataset.ready = '1';
});
