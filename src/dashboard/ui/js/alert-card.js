// One alert as a card: what is wrong in menu names, the order as a checklist, the snapshot
// (tap: full screen). Rendering never shows a "no picture" that a moment later turns into one.
import { el, fmtAge } from './common.js';

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

function checklist(order) {
  if (!order) return null;
  return el(
    'ul',
    { class: 'checklist', 'aria-label': 'order' },
    order.lines.map((l) =>
      el(
        'li',
        { class: l.state },
        el(
          'span',
          { class: 'mark', 'aria-hidden': 'true' },
          l.state === 'missing' ? '✗' : l.state === 'ok' ? '✓' : '·',
        ),
        l.text,
        l.missing.length ? el('span', { class: 'what' }, ` — missing ${l.missing.join(', ')}`) : null,
      ),
    ),
    order.extras.map((x) =>
      el(
        'li',
        { class: 'extra' },
        el('span', { class: 'mark', 'aria-hidden': 'true' }, '+'),
        `${x} (not ordered)`,
      ),
    ),
  );
}

export function openViewer(src) {
  const img = el('img', { src, alt: 'tray snapshot, full screen' });
  const close = () => viewer.remove();
  const viewer = el(
    'div',
    { class: 'viewer', role: 'dialog', 'aria-label': 'snapshot', tabindex: '-1', onclick: close },
    img,
    el('button', { class: 'btn small close', type: 'button', onclick: close }, 'Close'),
  );
  viewer.addEventListener('keydown', (e) => e.key === 'Escape' && close());
  document.body.append(viewer);
  viewer.focus();
}

/** The snapshot: hidden until it has loaded (no broken-image flash), retried while the file is being written. */
function snapshot(a, previous) {
  if (!a.snapshotId) return el('div', { class: 'snap pending', 'aria-hidden': 'true' });
  const src = `/api/snapshots/${encodeURIComponent(a.snapshotId)}.jpg`;
  if (previous?.dataset.src === src) return previous;
  let tries = 0;
  const img = el('img', {
    class: 'snap loading',
    src,
    alt: 'tray snapshot (tap to enlarge)',
    'data-src': src,
  });
  img.addEventListener('load', () => img.classList.remove('loading'));
  img.addEventListener('error', () => {
    if (++tries <= 5) setTimeout(() => (img.src = `${src}?try=${tries}`), 1000);
  });
  img.addEventListener('click', () => openViewer(src));
  // Reachable without a mouse: Tab to it, Enter or Space opens it.
  img.tabIndex = 0;
  img.setAttribute('role', 'button');
  img.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    openViewer(src);
  });
  return img;
}

/**
 * hooks: { acknowledge(a, card), falseAlarm(a, card), undo(a, card), dismiss(a, card) }.
 * `previous`: the card this one replaces (its loaded snapshot is kept).
 */
export function renderCard(a, hooks, previous) {
  const servedWrong = a.resolution === 'served-with-error';
  const diff = el(
    'ul',
    { class: 'diff' },
    a.lines.map((line) =>
      el('li', { class: line.startsWith('Missing') ? 'missing' : 'extra' }, ...keepTogether(line)),
    ),
  );
  if (a.lines.length === 0) diff.append(el('li', {}, 'Check this tray'));
  const action = servedWrong
    ? el('button', { class: 'btn ack', type: 'button', onclick: () => hooks.dismiss(a, card) }, 'Dismiss')
    : [
        el(
          'button',
          { class: 'btn ack', type: 'button', onclick: () => hooks.acknowledge(a, card) },
          'Acknowledge',
        ),
        // The tray was right: the alert goes, and the frames behind it can teach the model.
        el(
          'button',
          {
            class: 'btn false-alarm',
            type: 'button',
            title: 'The tray was right: the camera got it wrong',
            onclick: () => hooks.falseAlarm(a, card),
          },
          'False alarm',
        ),
      ];
  const heading = servedWrong
    ? `Served wrong — call back #${a.orderId ?? a.trayId}`
    : a.orderId
      ? `Order #${a.orderId}`
      : 'Unlinked tray';
  const card = el(
    'article',
    {
      class: `card alert${servedWrong ? ' served-wrong' : ''}`,
      'data-id': a.id,
      'data-order': a.orderId ?? '',
    },
    snapshot(a, previous?.querySelector('img.snap')),
    el(
      'div',
      { class: 'body' },
      el('div', { class: 'order' }, heading),
      diff,
      checklist(a.order),
      el(
        'div',
        { class: 'meta' },
        el('span', { class: 'age', 'data-opened': a.openedAt }, fmtAge(Date.now() - a.openedAt)),
        ` · ${a.cameraId}`,
      ),
    ),
    el('div', { class: 'actions' }, action),
    el('div', { class: 'stamp', 'aria-live': 'polite' }),
  );
  return card;
}
