// The box editor of /teach: a frame on a canvas with its boxes. Pointer events, so a mouse, a
// pen and a finger on a tablet all work: press on empty space and drag to draw a box, press
// inside a box to select and move it, drag a corner of the selected box to resize it.
// Coordinates are the frame's pixels; the canvas is scaled by CSS.

const MIN_SIDE_PX = 4;
/** Corner handles are this many CSS pixels around (a fingertip, not a mouse pointer). */
const HANDLE_CSS_PX = 14;

/** A colour per label, the same every time. */
export function labelColour(label) {
  let h = 0;
  for (const c of label) h = (h * 31 + c.charCodeAt(0)) % 360;
  return `hsl(${h} 90% 60%)`;
}

const area = ([x1, y1, x2, y2]) => (x2 - x1) * (y2 - y1);
const inside = ([x1, y1, x2, y2], [x, y]) => x >= x1 && x <= x2 && y >= y1 && y <= y2;
const corners = ([x1, y1, x2, y2]) => [
  [x1, y1],
  [x2, y1],
  [x2, y2],
  [x1, y2],
];

/** hooks: { change() after any edit, select(index) when the selection changes }. */
export function createBoxEditor(canvas, hooks) {
  const ctx = canvas.getContext('2d');
  let image = null;
  let boxes = [];
  let selected = -1;
  let label = null;
  let drag = null;

  const scale = () => {
    const w = canvas.getBoundingClientRect().width;
    return w ? canvas.width / w : 1;
  };
  const clampX = (v) => Math.min(Math.max(v, 0), canvas.width);
  const clampY = (v) => Math.min(Math.max(v, 0), canvas.height);
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [
      clampX(((e.clientX - r.left) * canvas.width) / r.width),
      clampY(((e.clientY - r.top) * canvas.height) / r.height),
    ];
  };
  const select = (i) => {
    selected = i;
    hooks.select?.(i);
  };
  const changed = () => {
    draw();
    hooks.change?.();
  };

  function draw() {
    if (!image) return;
    ctx.drawImage(image, 0, 0);
    const s = scale();
    ctx.font = `${Math.round(14 * s)}px sans-serif`;
    ctx.textBaseline = 'bottom';
    boxes.forEach((b, i) => {
      const [x1, y1, x2, y2] = b.box;
      const colour = labelColour(b.label);
      ctx.lineWidth = (i === selected ? 4 : 2) * s;
      ctx.strokeStyle = colour;
      ctx.setLineDash(i === selected ? [] : [6 * s, 3 * s]);
      ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
      ctx.setLineDash([]);
      const text = `${i + 1} ${b.label}`;
      const w = ctx.measureText(text).width + 6 * s;
      ctx.fillStyle = colour;
      ctx.fillRect(x1, Math.max(y1 - 18 * s, 0), w, 18 * s);
      ctx.fillStyle = '#000';
      ctx.fillText(text, x1 + 3 * s, Math.max(y1 - 18 * s, 0) + 17 * s);
      if (i !== selected) return;
      const hs = (HANDLE_CSS_PX / 2) * s;
      for (const [x, y] of corners(b.box)) {
        ctx.fillStyle = '#fff';
        ctx.fillRect(x - hs / 2, y - hs / 2, hs, hs);
        ctx.strokeStyle = '#000';
        ctx.lineWidth = s;
        ctx.strokeRect(x - hs / 2, y - hs / 2, hs, hs);
      }
    });
    if (drag?.mode === 'draw') {
      const [x1, y1, x2, y2] = drag.box;
      ctx.lineWidth = 2 * s;
      ctx.strokeStyle = label ? labelColour(label) : '#fff';
      ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
    }
  }

  /** What a press at p grabs: a corner of the selected box, else the smallest box under it. */
  function grab(p) {
    const reach = HANDLE_CSS_PX * scale();
    if (selected >= 0) {
      const corner = corners(boxes[selected].box).findIndex(
        ([x, y]) => Math.abs(x - p[0]) <= reach && Math.abs(y - p[1]) <= reach,
      );
      if (corner >= 0) return { mode: 'resize', index: selected, corner };
    }
    let best = -1;
    boxes.forEach((b, i) => {
      if (inside(b.box, p) && (best < 0 || area(b.box) < area(boxes[best].box))) best = i;
    });
    return best >= 0 ? { mode: 'move', index: best } : { mode: 'draw' };
  }

  canvas.addEventListener('pointerdown', (e) => {
    if (!image || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    canvas.focus();
    canvas.setPointerCapture(e.pointerId);
    const p = at(e);
    const g = grab(p);
    if (g.mode === 'draw') {
      select(-1);
      drag = { mode: 'draw', from: p, box: [p[0], p[1], p[0], p[1]] };
    } else {
      select(g.index);
      drag = { ...g, from: p, orig: [...boxes[g.index].box] };
    }
    draw();
  });

  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const p = at(e);
    const [dx, dy] = [p[0] - drag.from[0], p[1] - drag.from[1]];
    if (drag.mode === 'draw') {
      drag.box = [
        Math.min(drag.from[0], p[0]),
        Math.min(drag.from[1], p[1]),
        Math.max(drag.from[0], p[0]),
        Math.max(drag.from[1], p[1]),
      ];
    } else if (drag.mode === 'move') {
      const [x1, y1, x2, y2] = drag.orig;
      // The box stays whole inside the frame.
      const mx = Math.min(Math.max(dx, -x1), canvas.width - x2);
      const my = Math.min(Math.max(dy, -y1), canvas.height - y2);
      boxes[drag.index].box = [x1 + mx, y1 + my, x2 + mx, y2 + my];
    } else {
      const b = [...drag.orig];
      const [xi, yi] = [[0, 2, 2, 0][drag.corner], [1, 1, 3, 3][drag.corner]];
      b[xi] = p[0];
      b[yi] = p[1];
      boxes[drag.index].box = [
        Math.min(b[0], b[2]),
        Math.min(b[1], b[3]),
        Math.max(b[0], b[2]),
        Math.max(b[1], b[3]),
      ];
    }
    draw();
  });

  const finish = (e) => {
    if (!drag) return;
    if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
    const d = drag;
    drag = null;
    if (d.mode === 'draw') {
      const [x1, y1, x2, y2] = d.box;
      if (x2 - x1 >= MIN_SIDE_PX && y2 - y1 >= MIN_SIDE_PX && label) {
        boxes.push({ label, box: d.box.map(Math.round) });
        select(boxes.length - 1);
        return changed();
      }
      return draw();
    }
    const b = boxes[d.index];
    b.box = b.box.map(Math.round);
    if (b.box[2] - b.box[0] < MIN_SIDE_PX || b.box[3] - b.box[1] < MIN_SIDE_PX) b.box = d.orig;
    if (b.box.some((v, i) => v !== d.orig[i])) changed();
    else draw();
  };
  canvas.addEventListener('pointerup', finish);
  canvas.addEventListener('pointercancel', finish);

  return {
    load(img, list) {
      image = img;
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      boxes = list.map((b) => ({ label: b.label, box: [...b.box] }));
      select(-1);
      draw();
    },
    boxes: () => boxes.map((b) => ({ label: b.label, box: [...b.box] })),
    selected: () => selected,
    select(i) {
      select(i >= 0 && i < boxes.length ? i : -1);
      draw();
    },
    /** The label for new boxes, and for the selected box when there is one. */
    setLabel(l) {
      label = l;
      if (selected >= 0 && boxes[selected].label !== l) {
        boxes[selected].label = l;
        return changed();
      }
      draw();
    },
    label: () => label,
    deleteSelected() {
      if (selected < 0) return false;
      boxes.splice(selected, 1);
      select(-1);
      changed();
      return true;
    },
  };
}
