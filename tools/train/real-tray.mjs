// One real item on a plain tray, as a technician would first try a camera: the item's box cut
// from a real photograph (with its own background, no mask) and pasted, alone, in the middle of
// a plain brown tray on a grey counter, 640 x 360 like a camera substream. `share` is the item's
// longer side as a share of the tray's width (items on a real tray span about 0.25-0.5 of it).
import sharp from 'sharp';

const W = 640;
const H = 360;
const TRAY = { x: 120, y: 40, w: 400, h: 280 };

const counter = `<svg width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">
  <rect width="${W}" height="${H}" fill="#8d9196"/>
  <rect x="${TRAY.x + 6}" y="${TRAY.y + 8}" width="${TRAY.w}" height="${TRAY.h}" rx="18" fill="#000" opacity="0.25"/>
  <rect x="${TRAY.x}" y="${TRAY.y}" width="${TRAY.w}" height="${TRAY.h}" rx="18" fill="#6b4a33"/>
  <rect x="${TRAY.x + 10}" y="${TRAY.y + 10}" width="${TRAY.w - 20}" height="${TRAY.h - 20}" rx="12" fill="#7a5740"/>
</svg>`;

/** RgbImage (src/detect/image.ts) of the item at `box` of `photo` on the plain tray. */
export async function onPlainTray(photo, box, share) {
  const meta = await sharp(photo).metadata();
  const x1 = Math.max(0, Math.round(box[0]));
  const y1 = Math.max(0, Math.round(box[1]));
  const x2 = Math.min(meta.width, Math.round(box[2]));
  const y2 = Math.min(meta.height, Math.round(box[3]));
  const side = Math.round(TRAY.w * share);
  const item = await sharp(photo)
    .extract({ left: x1, top: y1, width: x2 - x1, height: y2 - y1 })
    .resize(side, side, { fit: 'inside' })
    .toBuffer({ resolveWithObject: true });
  const left = Math.round(TRAY.x + (TRAY.w - item.info.width) / 2);
  const top = Math.round(TRAY.y + (TRAY.h - item.info.height) / 2);
  const { data, info } = await sharp(Buffer.from(counter))
    .composite([{ input: item.data, left, top }])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    rgb: data,
    width: info.width,
    height: info.height,
    itemBox: [left, top, left + item.info.width, top + item.info.height],
  };
}
