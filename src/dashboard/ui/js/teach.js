// /teach (admin): models, candidates (promote), rollback, sprites, captured frames, training.
import { api, el, fillTable, run, setupPage, showError } from './common.js';
import { setupFrames } from './teach-frames.js';

const $ = (id) => document.getElementById(id);
const short = (sha) => (sha ? sha.slice(0, 12) : '—');

async function act(path, body) {
  const out = $('outcome');
  out.textContent = 'working… (a promotion compares both models first)';
  document.querySelectorAll('button').forEach((b) => (b.disabled = true));
  try {
    const r = await api(path, { method: 'POST', body });
    out.textContent = r.message;
  } catch (err) {
    out.textContent = err.message;
  } finally {
    document.querySelectorAll('button').forEach((b) => (b.disabled = false));
    await refresh();
  }
}

async function refresh() {
  const t = await api('/api/teach');
  fillTable(
    $('models'),
    ['', 'sha256', 'version', 'since', 'from'],
    t.models.map((m) =>
      el(
        'tr',
        { class: m.current ? 'current' : '' },
        el('td', {}, m.current ? 'running' : ''),
        el('td', {}, short(m.sha256)),
        el('td', {}, m.version ?? '—'),
        el('td', {}, m.createdAt ? m.createdAt.slice(0, 16).replace('T', ' ') : '—'),
        el('td', {}, m.source),
      ),
    ),
  );
  fillTable(
    $('candidates'),
    ['run', 'sha256', 'frames', 'minutes', ''],
    t.candidates.map((c) =>
      el(
        'tr',
        { 'data-run': c.run },
        el('td', {}, c.run),
        el('td', {}, short(c.sha256)),
        el('td', {}, String(c.data?.renderedFrames ?? '—')),
        el('td', {}, String(c.data?.trainedMinutes ?? '—')),
        el(
          'td',
          {},
          el(
            'button',
            { class: 'btn small compare', type: 'button', onclick: () => void compare(c.run) },
            'Compare',
          ),
          ' ',
          c.sha256 === t.runningSha256
            ? 'running'
            : el(
                'button',
                {
                  class: 'btn small promote',
                  type: 'button',
                  onclick: () => void act('/api/teach/promote', { run: c.run, force: $('force').checked }),
                },
                'Promote',
              ),
        ),
      ),
    ),
  );
  $('sprites').replaceChildren(
    ...(Object.keys(t.sprites).length
      ? Object.entries(t.sprites).flatMap(([label, list]) => [
          el('h3', {}, `${label} (${list.length})`),
          el(
            'div',
            { class: 'sprites-row' },
            list.map((s) =>
              el(
                'figure',
                { class: 'sprite-card', 'data-file': s.file },
                el('img', {
                  class: 'sprite',
                  src: `/api/teach/sprites/${label}/${s.file}`,
                  alt: `${label}: ${s.source}`,
                  title: s.source,
                }),
                el(
                  'button',
                  {
                    class: 'btn small remove',
                    type: 'button',
                    onclick: () =>
                      void api(`/api/teach/sprites/${label}/${s.file}`, { method: 'DELETE' })
                        .then(refresh)
                        .catch(showError),
                  },
                  'Remove',
                ),
              ),
            ),
          ),
        ])
      : [el('p', { class: 'muted' }, 'none yet')]),
  );
  $('progress').textContent = progressText(t.live);
  if (t.live.running) setTimeout(() => void refresh().catch(showError), 2000);
  const select = $('label');
  const chosen = select.value;
  select.replaceChildren(...t.labels.map((l) => el('option', { value: l }, l)));
  if (t.labels.includes(chosen)) select.value = chosen;
  const kv = (k, v) => [el('dt', {}, k), el('dd', {}, v)];
  $('facts').replaceChildren(
    ...kv('Captured frames', `${t.capturedFrames} (teach.capture in the config; off by default)`),
    ...kv(
      'Training',
      t.training ? `${t.training.run}: ${t.training.phase}, ${t.training.trainedS} s trained` : 'none yet',
    ),
    ...kv(
      'Model changes',
      t.changes
        .map(
          (c) =>
            `${c.at.slice(0, 16).replace('T', ' ')} ${c.action} ${short(c.sha256)}${c.detail ? `: ${c.detail}` : ''}`,
        )
        .join(' · ') || '—',
    ),
  );
}

const n3 = (v) => (v === null || v === undefined ? '—' : v.toFixed(3));

/** Side by side: per-class AP@0.5 and tray counts, current vs candidate, per held-out set. */
function compareTable(title, a, b) {
  const classes = [...new Set([...Object.keys(a.ap50), ...Object.keys(b.ap50)])];
  const row = (k, x, y) => el('tr', {}, el('td', {}, k), el('td', {}, n3(x)), el('td', {}, n3(y)));
  return [
    el('h3', {}, `${title} (${a.frames} frames, ${a.trays} trays)`),
    el(
      'table',
      { class: 'compare' },
      el(
        'thead',
        {},
        el('tr', {}, el('th', {}, 'AP@0.5'), el('th', {}, 'running'), el('th', {}, 'candidate')),
      ),
      el(
        'tbody',
        {},
        classes.map((k) => row(k, a.ap50[k], b.ap50[k])),
        row('mAP@0.5', a.map50, b.map50),
        row('tray counts right', a.trayCountAccuracy, b.trayCountAccuracy),
      ),
    ),
  ];
}

async function compare(run) {
  const box = $('compare');
  box.replaceChildren(el('p', { class: 'muted' }, `comparing ${run} with the running model…`));
  try {
    const c = await api('/api/teach/compare', { method: 'POST', body: { run } });
    box.replaceChildren(
      el('h2', {}, `Running model vs ${run}`),
      ...(c.current.store && c.candidate.store
        ? compareTable("Store's held-out frames", c.current.store, c.candidate.store)
        : [el('p', { class: 'muted' }, "Store's held-out frames: none labelled yet")]),
      ...compareTable('Synthetic held-out frames', c.current.synthetic, c.candidate.synthetic),
      el(
        'p',
        { class: c.worse ? 'refused' : 'ok' },
        c.worse ? `Worse: ${c.reasons.join('; ')}` : `Not worse on ${c.decidedOn} frames`,
      ),
    );
  } catch (err) {
    box.replaceChildren(el('p', { class: 'refused' }, err.message));
  }
}

function progressText(live) {
  const e = live.last;
  if (live.error) return `training failed: ${live.error}`;
  if (!e) return live.running ? 'training: starting…' : '';
  if (e.type === 'done') return `training done: candidate ${e.candidate.split('/').slice(-2, -1)[0]}`;
  if (e.type === 'phase') return `training: ${e.detail}`;
  if (e.type === 'progress')
    return `training: epoch ${e.epoch + 1}/${e.epochs}, loss ${e.loss.toFixed(3)}, about ${Math.ceil(e.etaS / 60)} min left`;
  if (e.type === 'epoch') return `training: epoch ${e.epoch + 1} done, val mAP@0.5 ${e.valMap50.toFixed(3)}`;
  return '';
}

/** Each photo is the body of its own request; the cut-out (or the reason it failed) is listed. */
async function upload(event) {
  event.preventDefault();
  // A new label (a menu item no model knows) is created with its first photo.
  const fresh = $('new-label').value.trim();
  const label = fresh || $('label').value;
  const out = $('uploaded');
  out.replaceChildren();
  for (const file of $('photos').files) {
    const me = await api('/api/me');
    const res = await fetch(
      `/api/teach/sprites?label=${encodeURIComponent(label)}&name=${encodeURIComponent(file.name)}${fresh ? '&newLabel=true' : ''}`,
      {
        method: 'POST',
        headers: {
          'content-type': file.type || 'application/octet-stream',
          'x-csrf-token': me.csrfToken,
          accept: 'application/json',
        },
        body: file,
        credentials: 'same-origin',
      },
    );
    const r = await res.json().catch(() => ({ message: res.statusText }));
    out.append(el('li', { class: res.ok ? 'ok' : 'refused' }, r.message ?? r.error));
  }
  await refresh();
}

run(async () => {
  await setupPage('Teach');
  $('train').addEventListener('submit', (e) => {
    e.preventDefault();
    void act('/api/teach/train', { minutes: Number($('minutes').value), frames: Number($('frames').value) });
  });
  $('upload').addEventListener('submit', (e) => void upload(e).catch(showError));
  $('rollback').addEventListener('click', () => void act('/api/teach/rollback', undefined).catch(showError));
  await refresh();
  await setupFrames();
});
