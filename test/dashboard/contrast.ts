// WCAG 2.x contrast of every visible piece of text on a page, computed in the browser: the text
// colour against the backgrounds painted behind it (ancestors' colours blended, alpha included).
// Returned as a string so it runs in the page (this project compiles without the DOM lib).
export const CONTRAST_PROBLEMS = `(() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, below) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat(1);
  };
  const lum = (c) => {
    const ch = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const ratio = (a, b) => {
    const [l1, l2] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  };
  const problems = [];
  for (const node of document.body.querySelectorAll('*')) {
    const own = [...node.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const rect = node.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const style = getComputedStyle(node);
    if (style.visibility === 'hidden' || node.closest('[hidden], .viewer, button:disabled')) continue;
    // WCAG exempts disabled and decorative states: a card fading out while its acknowledgement waits.
    if (node.closest('.acking, .leaving')) continue;
    const chain = [];
    for (let n = node; n; n = n.parentElement) chain.unshift(n);
    let bg = [255, 255, 255, 1];
    for (const n of chain) {
      const b = parse(getComputedStyle(n).backgroundColor);
      if (b[3] > 0) bg = over(b, bg);
    }
    const fg = over(parse(style.color), bg);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const need = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
    const r = ratio(fg, bg);
    if (r < need)
      problems.push(node.tagName.toLowerCase() + '.' + [...node.classList].join('.') + ' "' +
        node.textContent.trim().slice(0, 30) + '" ' + r.toFixed(2) + ' < ' + need);
  }
  return problems;
})()`;
