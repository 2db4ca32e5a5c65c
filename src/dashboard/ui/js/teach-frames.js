// /teach, "Label the store's frames": the captured frames a page at a time, and one of them in the
// box editor. Keys: n or → next, p or ← previous, Delete or Backspace deletes the selected box,
// 1–9 pick a label (the tray's order items come first), d done, x exclude, Esc deselects.
import { createBoxEditor, labelColour } from './box-editor.js';
import { api, el, fmtDateTime, showError } from './common.js';

const $ = (id) => document.getElementById(id);
const PER_PAGE = 24;
const STATES = [
  ['to-label', 'To label'],
  ['done', 'Done'],
  ['excluded', 'Excluded'],
  ['', 'All'],
];
const view = { state: 'to-label', page: 1, total: 0, frames: [], index: -1, frame: null, dirty: false };
let editor = null;

async function loadList() {
  const q = new URLSearchParams({ page: String(view.page), perPage: String(PER_PAGE) });
  if (view.state) q.set('state', view.state);
  const r = await api(`/api/teach/frames?${q}`);
  view.frames = r.frames;
  view.total = r.total;
  const c = r.capture;
  $('capture-state').className = c.enabled ? 'muted' : 'notice';
  $('capture-state').textContent = c.enabled
    ? `Capture is on: one settled tray in ${c.everyNthTray}, and every false alarm, at most ${c.maxFrames} frames, ${c.retentionDays} days.`
    : 'Capture is off (teach.capture: false, the default): no new frames are kept. Turn it on in the config to collect frames to label; the frames listed here stay until retention removes them.';
  $('frame-filter').replaceChildren(
    ...STATES.map(([state, name]) =>
      el(
        'button',
        {
          class: `btn small${view.state === state ? ' active' : ''}`,
          type: 'button',
          'data-state': state,
          'aria-pressed': String(view.state === state),
          onclick: () => {
            view.state = state;
            view.page = 1;
            void loadList().catch(showError);
          },
        },
        state ? `${name} (${r.counts[state]})` : name,
      ),
    ),
  );
  $('frame-list').replaceChildren(
    ...(r.frames.length
      ? r.frames.map((f, i) =>
          el(
            'button',
            {
              class: `frame-card ${f.state}`,
              type: 'button',
              'data-id': f.id,
              onclick: () => void open(i).catch(showError),
            },
            el('img', { src: f.imageUrl, alt: `frame ${f.id}`, loading: 'lazy' }),
            el(
              'span',
              { class: 'what' },
              `${f.reason === 'false-alarm' ? 'false alarm' : 'sample'} · ${f.state} · ${f.boxCount} boxes`,
            ),
            el(
              'span',
              { class: 'muted' },
              f.orderItems.length ? `order: ${f.orderItems.join(', ')}` : 'order unknown',
            ),
          ),
        )
      : [el('p', { class: 'muted' }, 'No frames here.')]),
  );
  const pages = Math.max(1, Math.ceil(r.total / PER_PAGE));
  $('frames-page').textContent = `page ${view.page} of ${pages}`;
  $('frames-newer').disabled = view.page <= 1;
  $('frames-older').disabled = view.page >= pages;
}

function palette() {
  const f = view.frame;
  $('palette').replaceChildren(
    ...f.labels.map((label, i) => {
      const b = el(
        'button',
        {
          class: `btn small label${editor.label() === label ? ' active' : ''}${f.orderItems.includes(label) ? ' ordered' : ''}`,
          type: 'button',
          'data-label': label,
          onclick: () => pick(label),
        },
        i < 9 ? `${i + 1} ${label}` : label,
      );
      // Through the CSSOM: the page's CSP refuses style attributes.
      b.style.borderLeftColor = labelColour(label);
      return b;
    }),
  );
}

function boxList() {
  const sel = editor.selected();
  $('box-list').replaceChildren(
    ...editor
      .boxes()
      .map((b, i) =>
        el(
          'li',
          { class: i === sel ? 'selected' : '', 'data-label': b.label, onclick: () => editor.select(i) },
          `${i + 1}. ${b.label} [${b.box.join(', ')}]`,
        ),
      ),
  );
}

function pick(label) {
  editor.setLabel(label);
  palette();
  boxList();
}

async function open(index) {
  const summary = view.frames[index];
  if (!summary) return;
  const f = await api(`/api/teach/frames/${summary.id}`);
  const img = new Image();
  img.src = f.imageUrl;
  await img.decode();
  view.index = index;
  view.frame = f;
  view.dirty = false;
  $('editor').hidden = false;
  $('editor').dataset.id = f.id;
  editor.load(img, f.boxes);
  if (!f.labels.includes(editor.label())) editor.setLabel(f.labels[0] ?? null);
  $('frame-title').textContent =
    `${f.reason === 'false-alarm' ? `False alarm #${f.alertId}` : 'Sample'} · ${f.cameraId || 'camera ?'} · ${fmtDateTime(f.capturedAt)} · ${f.state}`;
  $('order-items').textContent = f.orderItems.length ? `Order: ${f.orderItems.join(', ')}` : 'Order unknown';
  $('ed-status').textContent = f.labelledBy ? `labelled by ${f.labelledBy}` : 'pre-labelled by the model';
  palette();
  boxList();
  $('canvas').focus();
}

async function save(state) {
  const f = view.frame;
  if (!f) return;
  const saved = await api(`/api/teach/frames/${f.id}`, {
    method: 'PUT',
    body: { boxes: editor.boxes(), state: state ?? f.state },
  });
  view.frame = { ...f, ...saved };
  view.frames[view.index] = { ...view.frames[view.index], ...saved };
  view.dirty = false;
  $('ed-status').textContent = `saved: ${saved.state}, ${saved.boxCount} boxes`;
  $('frame-title').textContent = $('frame-title').textContent.replace(/[^·]+$/, ` ${saved.state}`);
}

/** Saves what changed, then opens the frame `step` away (the next page at the end of this one). */
async function move(step) {
  if (view.dirty) await save();
  const next = view.index + step;
  if (next >= 0 && next < view.frames.length) return open(next);
  const pages = Math.ceil(view.total / PER_PAGE);
  if ((step > 0 && view.page >= pages) || (step < 0 && view.page <= 1)) {
    $('ed-status').textContent = step > 0 ? 'last frame' : 'first frame';
    return;
  }
  view.page += step;
  await loadList();
  return open(step > 0 ? 0 : view.frames.length - 1);
}

async function finish(state) {
  await save(state);
  if (view.index < view.frames.length - 1 || view.page * PER_PAGE < view.total) await move(1);
}

function onKey(e) {
  if ($('editor').hidden || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
  const act = (p) => {
    e.preventDefault();
    void p?.catch?.(showError);
  };
  if (e.key === 'n' || e.key === 'ArrowRight') return act(move(1));
  if (e.key === 'p' || e.key === 'ArrowLeft') return act(move(-1));
  if (e.key === 'Delete' || e.key === 'Backspace') return act(editor.deleteSelected());
  if (e.key === 'd') return act(finish('done'));
  if (e.key === 'x') return act(finish('excluded'));
  if (e.key === 'Escape') return act(editor.select(-1));
  if (/^[1-9]$/.test(e.key)) {
    const label = view.frame?.labels[Number(e.key) - 1];
    if (label) act(pick(label));
  }
}

export async function setupFrames() {
  editor = createBoxEditor($('canvas'), {
    change: () => {
      view.dirty = true;
      $('ed-status').textContent = 'changed (saved when you move on, or press Save)';
      boxList();
    },
    select: () => boxList(),
  });
  $('frames-newer').addEventListener('click', () => {
    view.page--;
    void loadList().catch(showError);
  });
  $('frames-older').addEventListener('click', () => {
    view.page++;
    void loadList().catch(showError);
  });
  $('ed-prev').addEventListener('click', () => void move(-1).catch(showError));
  $('ed-next').addEventListener('click', () => void move(1).catch(showError));
  $('ed-delete').addEventListener('click', () => editor.deleteSelected());
  $('ed-save').addEventListener('click', () => void save().catch(showError));
  $('ed-done').addEventListener('click', () => void finish('done').catch(showError));
  $('ed-exclude').addEventListener('click', () => void finish('excluded').catch(showError));
  $('ed-close').addEventListener('click', () => {
    $('editor').hidden = true;
    void loadList().catch(showError);
  });
  document.addEventListener('keydown', onKey);
  await loadList();
}
