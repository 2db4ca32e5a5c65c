import { randomScene, renderScene, sceneForTray } from '../../dist/src/sim/render/index.js';
import sharp from 'sharp';
const n = +process.argv[2] || 6;
const start = +process.argv[3] || 1;
let total = 0;
for (let s = start; s < start + n; s++) {
  const sc =
    s === 999 ? sceneForTray({ burger: 1, fries: 1, drink: 1, nuggets: 1, sauce: 2 }, 5, {}) : randomScene(s);
  const t0 = performance.now();
  const r = await renderScene(sc);
  total += performance.now() - t0;
  // draw boxes
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360">${r.labels.map((l) => `<rect x="${l.box[0]}" y="${l.box[1]}" width="${l.box[2] - l.box[0]}" height="${l.box[3] - l.box[1]}" fill="none" stroke="lime" stroke-width="1"/><text x="${l.box[0] + 2}" y="${l.box[1] + 10}" font-size="10" fill="lime">${l.label}</text>`).join('')}</svg>`;
  await sharp(r.rgb, { raw: { width: 640, height: 360, channels: 3 } })
    .png()
    .toFile(`/tmp/r${s}.png`);
  await sharp(r.rgb, { raw: { width: 640, height: 360, channels: 3 } })
    .composite([{ input: Buffer.from(svg) }])
    .png()
    .toFile(`/tmp/rb${s}.png`);
}
console.log('ms/frame', (total / n).toFixed(1));
