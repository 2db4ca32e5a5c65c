// One verdict as evidence in /history: the snapshot large with the detections behind the verdict
// (confidence, unsure flags) beside it, expected vs seen, the order as a checklist, how the tray
// was linked, the alert and who acknowledged (or dismissed) it when, the model.
import { openViewer } from './alert-card.js';
import { api, el, fmtDateTime } from './common.js';

const LINKS = {
  ready: 'the order was marked ready at this station',
  'best-match': 'the open order that matched the tray best',
  fifo: 'the oldest open order (first in, first out)',
  none: 'no order (unlinked)',
};

const kv = (k, v) => [el('dt', {}, k), el('dd', {}, v)];

function alertLines(a) {
  const parts = [`opened ${fmtDateTime(a.openedAt)}`];
  const how = a.resolution === 'false-alarm' ? 'marked a false alarm' : 'acknowledged';
  if (a.acknowledgedAt)
    parts.push(`${how} by ${a.acknowledgedBy ?? 'unknown'} at ${fmtDateTime(a.acknowledgedAt)}`);
  if (a.resolvedAt) parts.push(`resolved (${a.resolution ?? a.status}) at ${fmtDateTime(a.resolvedAt)}`);
  if (a.dismissedAt)
    parts.push(`dismissed by ${a.dismissedBy ?? 'unknown'} at ${fmtDateTime(a.dismissedAt)}`);
  return el('div', {}, `Alert #${a.id}: ${parts.join(' · ')}`);
}

/** What the detector saw on the tray when it settled: name, confidence, unsure flag. */
function detections(list) {
  if (!list) return el('p', { class: 'muted' }, 'No detections kept for this tray.');
  return el(
    'table',
    { class: 'detections' },
    el('caption', {}, 'What the camera saw'),
    el(
      'thead',
      {},
      el('tr', {}, el('th', {}, 'Item'), el('th', { class: 'num' }, 'Confidence'), el('th', {}, '')),
    ),
    el(
      'tbody',
      {},
      list.map((d) =>
        el(
          'tr',
          { class: d.uncertain ? 'unsure' : '' },
          el('td', {}, d.name),
          el('td', { class: 'num' }, `${Math.round(d.score * 100)} %`),
          el('td', {}, d.uncertain ? el('span', { class: 'badge uncertain' }, 'unsure') : ''),
        ),
      ),
    ),
  );
}

export async function showDetail(box, id) {
  const d = await api(`/api/verdicts/${id}`);
  const src = d.snapshotId ? `/api/snapshots/${encodeURIComponent(d.snapshotId)}.jpg` : null;
  const counts = el(
    'table',
    { class: 'counts' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, 'Item'),
        el('th', { class: 'num' }, 'Expected'),
        el('th', { class: 'num' }, 'Seen'),
      ),
    ),
    el(
      'tbody',
      {},
      d.counts.map((c) =>
        el(
          'tr',
          { class: c.expected === c.seen ? '' : c.seen < c.expected ? 'missing' : 'extra' },
          el('td', {}, c.name),
          el('td', { class: 'num' }, c.expected),
          el('td', { class: 'num' }, c.seen),
        ),
      ),
    ),
  );
  box.replaceChildren(
    el(
      'div',
      { class: 'detail-head' },
      el('h2', {}, `${d.orderId ? `Order #${d.orderId}` : 'Unlinked tray'} · ${d.result}`),
      el('button', { class: 'btn small', type: 'button', onclick: () => (box.hidden = true) }, 'Close'),
    ),
    el(
      'div',
      { class: 'detail-body' },
      el(
        'div',
        { class: 'detail-evidence' },
        src
          ? el('img', {
              class: 'detail-snap',
              src,
              alt: 'tray snapshot (tap to enlarge)',
              onclick: () => openViewer(src),
            })
          : el('p', { class: 'muted' }, 'No snapshot kept for this tray.'),
        detections(d.detections),
      ),
      el(
        'div',
        {},
        counts,
        d.uncertain.length ? el('p', { class: 'muted' }, `Not sure about: ${d.uncertain.join(', ')}`) : null,
        el(
          'dl',
          { class: 'kv' },
          ...kv('Time', fmtDateTime(d.ts)),
          ...kv('Camera / tray', `${d.cameraId} / ${d.trayId}`),
          ...kv('Linked to', LINKS[d.link] ?? d.link),
          ...kv('Alert', d.alerts.length ? d.alerts.map(alertLines) : 'none'),
          ...kv('Model', d.modelSha256 ? `sha256 ${d.modelSha256.slice(0, 12)}…` : '—'),
        ),
        d.order
          ? el(
              'ul',
              { class: 'checklist' },
              d.order.lines.map((l) =>
                el(
                  'li',
                  { class: l.state },
                  l.text,
                  l.missing.length ? ` — missing ${l.missing.join(', ')}` : '',
                ),
              ),
              d.order.extras.map((x) => el('li', { class: 'extra' }, `+ ${x} (not ordered)`)),
            )
          : null,
      ),
    ),
  );
  box.dataset.id = String(id);
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
}
