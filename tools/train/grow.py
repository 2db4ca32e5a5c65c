"""Fine-tuning onto a longer class list: the store taught a menu item no model knew (issue 18).

Every tensor of the checkpoint is reused. The class-dependent output layers grow: the `cls`
conv has one output channel per class, the `box` conv four per class (class c owns channels
4c..4c+3, see model.py's `dist.view(b, nc, 4, h, w)`). Rows of classes the checkpoint knows
are copied by name; rows of new classes keep the freshly built model's initialisation (cls
bias -4.6, i.e. an empty heatmap at the start; box as the model initialises it). Only keys
starting with `cls.` and `box.` are treated this way, so the backbone does not matter.
"""
import torch

# Output channels per class of each class-dependent layer, by state-dict key prefix.
HEADS = {"cls.": 1, "box.": 4}


def _head(key):
    for prefix, per_class in HEADS.items():
        if key.startswith(prefix):
            return per_class
    return None


def grow_state(src, src_names, names, fresh):
    """State dict for a model built for `names` (its fresh state dict: `fresh`) from a checkpoint
    state dict `src` trained on `src_names`. Returns (state dict, one line saying what happened)."""
    src_names = list(src_names)
    out, skipped = {}, []
    for key, value in fresh.items():
        old = src.get(key)
        if old is None:
            skipped.append(key)
            out[key] = value
            continue
        per_class = _head(key)
        if per_class is None or (old.shape == value.shape and src_names == list(names)):
            if old.shape == value.shape:
                out[key] = old
            else:  # another architecture's layer: trained afresh, as before heads could grow
                skipped.append(key)
                out[key] = value
            continue
        if old.shape[1:] != value.shape[1:] or old.shape[0] != per_class * len(src_names):
            skipped.append(key)
            out[key] = value
            continue
        grown = value.clone()
        for c, name in enumerate(names):
            if name in src_names:
                i = src_names.index(name)
                grown[c * per_class : (c + 1) * per_class] = old[i * per_class : (i + 1) * per_class]
        out[key] = grown
    new = [n for n in names if n not in src_names]
    dropped = [n for n in src_names if n not in names]
    what = f"classes {len(src_names)} -> {len(names)}"
    if new:
        what += f", new: {', '.join(new)}"
    if dropped:
        what += f", dropped: {', '.join(dropped)}"
    if skipped:
        what += f"; trained afresh (not in the checkpoint or another shape): {', '.join(skipped)}"
    return out, what


def param_groups(model, head_lr_mult=1.0):
    """AdamW groups: weight decay on weights only, and `head_lr_mult` times the LR on the
    class-dependent output layers (train.py multiplies each group's LR by its "lr_mult")."""
    groups = {}
    for name, p in model.named_parameters():
        head = _head(name) is not None
        key = (head, p.ndim <= 1)
        if key not in groups:
            groups[key] = {"params": [], "weight_decay": 0 if p.ndim <= 1 else 5e-4, "lr_mult": head_lr_mult if head else 1.0}
        groups[key]["params"].append(p)
    return list(groups.values())


def hold_known_rows(model, names, new):
    """Zeroes the gradient of the known classes' rows in the class-dependent layers: AdamW then
    leaves them as trained (a zero gradient makes no step) while the new classes' rows learn at
    the head LR; the store's short fine-tune must not unlearn the base classes' outputs."""
    for name, p in model.named_parameters():
        per_class = _head(name)
        if per_class is None:
            continue
        mask = torch.zeros(p.shape[0], dtype=p.dtype)
        for c, n in enumerate(names):
            if n in new:
                mask[c * per_class : (c + 1) * per_class] = 1
        p.register_hook(lambda g, m=mask.view((-1,) + (1,) * (p.ndim - 1)): g * m)


def load_init(model, path, names, default_names):
    """Loads checkpoint `path` (its EMA weights) into `model`, growing the heads when `names`
    extends the checkpoint's class list. Prints what it did; returns the new class names."""
    ck = torch.load(path, map_location="cpu")
    src_names = ck.get("names") or default_names
    state, what = grow_state(ck["ema"], src_names, names, model.state_dict())
    model.load_state_dict(state)
    print(f"init from {path}: {what}", flush=True)
    return [n for n in names if n not in src_names]
