#!/usr/bin/env python3
"""Writes manifest.json: the real images traycheck trains and tests on, all from Debian packages.

Run once by a maintainer against packages extracted with `dpkg-deb -x` into ROOT/x_<package>
(see fetch.sh); the manifest is committed, the images never are. Each entry names the package,
its version, the file inside it, its licence (from the package's debian/copyright or, for
scikit-image, the per-image notes in skimage/data/_fetchers.py) and its use.
"""
import json, os, re, subprocess, sys

root = sys.argv[1]
out = sys.argv[2]

def version(pkg):
    deb = [f for f in os.listdir(root) if f.startswith(pkg + '_') and f.endswith('.deb')][0]
    return subprocess.check_output(['dpkg-deb', '-f', os.path.join(root, deb), 'Version'], text=True).strip()

entries = []
def add(pkg, path, licence, role, split, **extra):
    if not os.path.exists(os.path.join(root, 'x_' + pkg, path.lstrip('/'))):
        raise SystemExit(f'missing {pkg}:{path}')
    entries.append(dict(package=pkg, version=version(pkg), path=path, licence=licence, role=role, split=split, **extra))

# Training photos: backgrounds, counter textures, photo texture for items, negative frames.
mate = '/usr/share/backgrounds/mate/'
for f in ['nature/Aqua.jpg', 'nature/Blinds.jpg', 'nature/Dune.jpg', 'nature/FreshFlower.jpg', 'nature/GreenMeadow.jpg',
          'nature/RainDrops.jpg', 'nature/Storm.jpg', 'nature/TwoWings.jpg', 'nature/Wood.jpg', 'abstract/Elephants.jpg']:
    add('mate-backgrounds', mate + f, 'GPL-2+', 'photo', 'train')
plasma = 'x_plasma-workspace-wallpapers/usr/share/wallpapers'
for name in sorted(os.listdir(os.path.join(root, plasma))):
    if name in ('ColorfulCups',):  # cups look like drinks: not a negative
        continue
    d = os.path.join(root, plasma, name, 'contents', 'images')
    if not os.path.isdir(d):
        continue
    jpgs = [f for f in os.listdir(d) if re.match(r'^\d+x\d+\.(jpg|png)$', f)]
    if not jpgs:
        continue
    # The size closest to 1920 px wide: enough detail, quick to decode.
    best = min(jpgs, key=lambda f: abs(int(f.split('x')[0]) - 1920))
    add('plasma-workspace-wallpapers', f'/usr/share/wallpapers/{name}/contents/images/{best}', 'GPL-2+', 'photo', 'train')
for f in ['china.jpg', 'flower.jpg']:
    add('python3-sklearn', '/usr/lib/python3/dist-packages/sklearn/datasets/images/' + f, 'BSD-3-Clause', 'photo', 'train')

# Cut-outs (PNG with alpha) of real things that are not on our menu: distractors on counters and
# trays, and food the model must not name (fruit, vegetables, nuts, pizza, bread).
tux = 'x_tuxpaint-stamps-default/usr/share/tuxpaint/stamps'
skip = re.compile(r'(lettuce|/dessert/|mug\.png|glass\.png|pitcher|shapes/hand|^people/|cup)', re.I)
for dirpath, _, files in os.walk(os.path.join(root, tux)):
    for f in sorted(files):
        if not f.endswith('.png') or 'mirror' in f:
            continue
        rel = os.path.relpath(os.path.join(dirpath, f), os.path.join(root, tux))
        if skip.search(rel):
            continue
        add('tuxpaint-stamps-default', '/usr/share/tuxpaint/stamps/' + rel, 'GPL-2', 'cutout', 'train',
            food=rel.startswith('food/'))

# Held-out non-food photos: never used in training (the real-imagery check and the CI test).
sk = '/usr/lib/python3/dist-packages/skimage/data/'
notes = {
    'astronaut.png': 'public domain (NASA), per skimage/data/_fetchers.py',
    'chelsea.png': 'CC0 (Stefan van der Walt), per skimage/data/_fetchers.py',
    'rocket.jpg': 'public domain (SpaceX), per skimage/data/_fetchers.py',
    'camera.png': 'CC0 (Lav Varshney), per skimage/data/_fetchers.py',
    'coins.png': 'public domain (Brooklyn Museum), per skimage/data/_fetchers.py',
    'hubble_deep_field.jpg': 'public domain (NASA), per skimage/data/_fetchers.py',
    'motorcycle_left.png': 'Middlebury stereo data set, free for research use, per skimage/data/_fetchers.py',
    'brick.png': 'CC0 (CC0Textures Bricks25), per skimage/data/_fetchers.py',
    'grass.png': 'CC0 (linolafett), per skimage/data/_fetchers.py',
    'gravel.png': 'CC0 (CC0Textures Gravel04), per skimage/data/_fetchers.py',
}
for f, lic in notes.items():
    add('python3-skimage', sk + f, 'BSD-3-Clause package; image: ' + lic, 'photo', 'test')

json.dump({'about': 'Real images used by tools/train (fetched from Debian at training time by fetch.sh; never committed). '
           'split=train: renderer backgrounds, textures, distractors and negative frames. split=test: held-out non-food photos.',
           'images': entries}, open(out, 'w'), indent=1)
print(len(entries), 'entries', {r: sum(1 for e in entries if e['role'] == r) for r in ('photo', 'cutout')})
