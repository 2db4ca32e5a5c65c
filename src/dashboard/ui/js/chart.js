// Grouped bar chart as hand-written SVG (no library): one group per day, one bar per series.
const NS = 'http://www.w3.org/2000/svg';

function svgEl(tag, attrs, text) {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = String(text);
  return n;
}

/** groups: [{ label, values: [n, ...] }]; series: [{ name, color }] in the order of values. */
export function barChart(groups, series, { width = 900, height = 300 } = {}) {
  const pad = { left: 48, right: 12, top: 16, bottom: 36 };
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const y = (v) => pad.top + plotH - (v / top) * plotH;
  const svg = svgEl('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart',
    role: 'img',
    'aria-label': 'trays per day',
  });
  for (let v = 0; v <= top; v += step) {
    svg.append(svgEl('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: 'axis' }));
    svg.append(svgEl('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, v));
  }
  const groupW = plotW / Math.max(1, groups.length);
  const barW = Math.min(36, (groupW * 0.8) / series.length);
  groups.forEach((g, gi) => {
    const x0 = pad.left + gi * groupW + (groupW - barW * series.length) / 2;
    g.values.forEach((v, si) => {
      const x = x0 + si * barW;
      const rect = svgEl('rect', {
        x,
        y: y(v),
        width: barW - 2,
        height: Math.max(0, y(0) - y(v)),
        fill: series[si].color,
        rx: 2,
      });
      rect.append(svgEl('title', {}, `${g.label}: ${v} ${series[si].name}`));
      svg.append(rect);
      if (v > 0)
        svg.append(svgEl('text', { x: x + (barW - 2) / 2, y: y(v) - 3, 'text-anchor': 'middle' }, v));
    });
    svg.append(
      svgEl(
        'text',
        { x: pad.left + gi * groupW + groupW / 2, y: height - 12, 'text-anchor': 'middle' },
        g.label,
      ),
    );
  });
  return svg;
}

function niceStep(max) {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (raw <= m * mag) return Math.max(1, m * mag);
  return Math.max(1, 10 * mag);
}
